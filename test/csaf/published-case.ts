/**
 * A published case for the CSAF, security.txt, subscriber and webhook tests: a public
 * notice in Dutch and English (the English one with an embargoed block of technical
 * detail), written by a communicator, approved by an approver and published by a
 * responder, all through the services.
 */
import type { Actor, Role } from '../../src/domain/access.js';
import { createCase, updateCase } from '../../src/services/cases/case.service.js';
import { approveNotice, createNotice } from '../../src/services/notices/notice.service.js';
import { publishCase } from '../../src/services/publication/publication-publish.service.js';
import { loadConfig } from '../../src/config.js';
import type { Dialect } from '../../src/store/database.js';
import { contextOn, type AppContext } from '../../src/wiring.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

/** The embargoed sentence: it must appear nowhere public until released. */
export const EMBARGOED = 'The flaw is in the upload handler of panel-api version 2.3';

export const actorOf = (name: string, role: Role): Actor => ({
  kind: 'user',
  userId: null,
  name,
  roles: [role],
  source: 'test',
});

/** A context whose public URL is https (as in production), with extra env settings. */
export async function createPublicContext(
  dialect: Dialect,
  env: Record<string, string> = {},
): Promise<AppContext & { testDb: TestDatabase }> {
  const testDb = await createTestDatabase(dialect);
  const config = {
    ...loadConfig({
      CANDOR_SECRET: 'test-secret-test-secret-test-secret-0123',
      CANDOR_PUBLIC_URL: 'https://candor.example.nl',
      ...env,
    }),
    database: testDb.config,
  };
  return { ...contextOn(config, testDb.database), testDb, close: () => testDb.destroy() };
}

/** Opens, writes, approves and publishes a case; returns its reference and id. */
export async function publishTestCase(
  ctx: AppContext,
  kind: 'incident' | 'advisory' = 'advisory',
  title = 'Kwetsbaarheid in het klantpaneel',
): Promise<{ reference: string; caseId: number }> {
  const kase = await createCase(
    actorOf('sanne', 'responder'),
    {
      kind,
      title,
      summary: 'Een kwetsbaarheid in het klantpaneel.',
      statements: {
        what_happened: {
          nl: 'Een kwetsbaarheid in het klantpaneel.',
          en: 'A vulnerability in the customer panel.',
        },
      },
      awareAt: '2026-11-27T02:45:00Z',
    },
    ctx.deps,
  );
  // The texts say the flaw was fixed: the case records it (claims follow facts).
  await updateCase(
    actorOf('sanne', 'responder'),
    kase.id,
    { containedAt: '2026-11-27T06:00:00Z' },
    ctx.deps,
  );
  const notice = await createNotice(
    actorOf('joost', 'communicator'),
    kase.id,
    {
      audience: 'public',
      defaultLanguage: 'nl',
      texts: {
        nl: {
          subject: title,
          body: 'Wij hebben een kwetsbaarheid in ons klantpaneel gevonden en verholpen.\n\nWerk uw installatie bij naar versie 2.4.1.',
        },
        en: {
          subject: 'Vulnerability in the customer panel',
          body: `We found and fixed a vulnerability in our customer panel.\n\nUpdate your installation to version 2.4.1.\n\n:::embargo until=resolved\n${EMBARGOED}.\n:::\n`,
        },
      },
    },
    ctx.deps,
  );
  await approveNotice(actorOf('fatima', 'approver'), notice.id, {}, ctx.deps);
  await publishCase(actorOf('sanne', 'responder'), kase.id, ctx.deps);
  return { reference: kase.reference, caseId: kase.id };
}
