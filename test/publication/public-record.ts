/**
 * Test data for the public record: the cast of test/dispatch (joost writes, fatima approves,
 * sanne responds), and an incident whose public notice holds an embargoed technical section.
 */
import type { AppContext } from '../../src/wiring.js';
import { createCase, updateCase } from '../../src/services/cases/case.service.js';
import { approveNotice, createNotice } from '../../src/services/notices/notice.service.js';
import { publishCase } from '../../src/services/publication/publication-publish.service.js';
import type { People } from '../dispatch/scenario.js';

export {
  createPeople,
  createDispatchContext as createPublicationContext,
} from '../dispatch/scenario.js';

export const EMBARGOED_SENTENCE = 'The flaw was in the upload handler of the customer portal.';

export function publicTexts(until = 'resolved') {
  return {
    en: {
      subject: 'Security incident at Example Hosting',
      body: [
        'On 27 November we found that an attacker got into our customer portal. We closed the hole the same day.',
        '',
        '## What should you do?',
        '',
        'Nothing, unless we wrote to you. Customers whose data were involved get a personal message.',
        '',
        `:::embargo until=${until}`,
        '## Technical details',
        '',
        `${EMBARGOED_SENTENCE} It used the file upload_v2.php.`,
        ':::',
      ].join('\n'),
    },
    nl: {
      subject: 'Beveiligingsincident bij Example Hosting',
      body: [
        'Op 27 november ontdekten wij dat een aanvaller in ons klantportaal kwam. Wij hebben het lek dezelfde dag gedicht.',
        '',
        `:::embargo until=${until}`,
        'De fout zat in de upload van het klantportaal.',
        ':::',
      ].join('\n'),
    },
  };
}

/** An incident with an approved public notice; published unless `publish` is false. */
export async function publishedIncident(
  ctx: AppContext,
  people: People,
  options: {
    title?: string;
    until?: string;
    publish?: boolean;
    kind?: 'incident' | 'advisory';
  } = {},
) {
  const kase = await createCase(
    people.sanne,
    {
      kind: options.kind ?? 'incident',
      title: options.title ?? 'Break-in on the customer portal',
      summary: 'An attacker got into the customer portal.',
      statements: {
        what_happened: {
          en: 'An attacker got into the customer portal.',
          nl: 'Een aanvaller kwam binnen in het klantportaal.',
        },
      },
      awareAt: new Date(Date.now() - 6 * 3600_000).toISOString(),
    },
    ctx.deps,
  );
  // The texts say the hole was closed: the case records it, or the claims check refuses them.
  await updateCase(
    people.sanne,
    kase.id,
    { containedAt: new Date(Date.now() - 3600_000).toISOString() },
    ctx.deps,
  );
  const notice = await createNotice(
    people.joost,
    kase.id,
    { audience: 'public', texts: publicTexts(options.until), defaultLanguage: 'nl' },
    ctx.deps,
  );
  await approveNotice(people.fatima, notice.id, {}, ctx.deps);
  if (options.publish !== false) await publishCase(people.sanne, kase.id, ctx.deps);
  return { kase, notice };
}
