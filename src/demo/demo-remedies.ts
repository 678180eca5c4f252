import { systemActor } from '../domain/access.js';
import {
  applyConfirmations,
  confirmRemedyForCustomers,
} from '../services/remedies/remedy-confirmation.service.js';
import { createRemedy, requireRemedy } from '../services/remedies/remedy.service.js';
import { requireCase } from '../services/cases/case.service.js';
import { countFrozenRecipients, sampleFrozenRecipients } from '../store/recipient.repository.js';
import type { AppContext } from '../wiring.js';
import { Rng } from './synthetic-rng.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Share of recipients whose confirmation falls on day 0, 1, 2, 3 after the notice. */
const CUSTOMER_BY_DAY = [0.22, 0.14, 0.08, 0.05];
const PROVIDER_BY_DAY = [0.05, 0.2, 0.15, 0.1];

/**
 * The demo incident's two remedies and their history: customers changing their password on
 * their page, and the provider's scanner confirming the plugin update (which also needs the
 * customer's word), spread over the days since the notice, so the completion curve has data.
 */
export async function seedDemoRemedies(
  ctx: AppContext,
  caseId: number,
  sentAt: Date,
  now: Date = new Date(),
): Promise<void> {
  const admin = systemActor('demo');
  const { db, dialect } = ctx.database;
  await createRemedy(
    admin,
    caseId,
    {
      key: 'change-password',
      completion: 'customer',
      texts: {
        nl: {
          title: 'Wijzig uw wachtwoord',
          instructions:
            '1. Log in op het klantenpaneel.\n2. Kies **Account → Wachtwoord**.\n3. Kies een nieuw wachtwoord dat u nergens anders gebruikt.',
        },
        en: {
          title: 'Change your password',
          instructions:
            '1. Log in to the customer panel.\n2. Choose **Account → Password**.\n3. Pick a new password you use nowhere else.',
        },
      },
    },
    ctx.deps,
  );
  await createRemedy(
    admin,
    caseId,
    {
      key: 'update-plugin',
      completion: 'both',
      texts: {
        nl: {
          title: 'Werk de plugin bij naar 4.2.1',
          instructions:
            'Werk FormBuilder bij naar versie 4.2.1 of hoger. Wij zien de nieuwe versie bij onze dagelijkse scan; bevestig het ook hier.',
        },
        en: {
          title: 'Update the plugin to 4.2.1',
          instructions:
            'Update FormBuilder to version 4.2.1 or later. Our daily scan sees the new version; please confirm it here too.',
        },
      },
    },
    ctx.deps,
  );

  // Who confirms on which day, drawn once per recipient (the first few stay untouched, so a
  // newcomer can still confirm from the mailbox).
  const untouched = Math.min(5, Math.floor((await countFrozenRecipients(db, caseId)).total / 10));
  const customer = new Map<number, { id: number; at: string }[]>();
  const provider = new Map<number, string[]>();
  const rng = new Rng();
  let afterId = 0;
  let index = 0;
  const at = (day: number) =>
    new Date(
      Math.min(now.getTime() - 60_000, sentAt.getTime() + day * DAY + rng.next() * 20 * HOUR),
    ).toISOString();
  for (;;) {
    const page = await sampleFrozenRecipients(db, caseId, 1000, afterId);
    if (page.length === 0) break;
    for (const r of page) {
      afterId = r.id;
      if (++index <= untouched) continue;
      rng.reseed(20261207, index);
      const c = dayOf(rng.next(), CUSTOMER_BY_DAY);
      if (c !== null) customer.set(c, [...(customer.get(c) ?? []), { id: r.id, at: at(c) }]);
      const p = dayOf(rng.next(), PROVIDER_BY_DAY);
      if (p !== null) provider.set(p, [...(provider.get(p) ?? []), r.external_id]);
    }
  }
  const kase = await requireCase(db, caseId);
  for (const key of ['change-password', 'update-plugin']) {
    const remedy = await requireRemedy(db, caseId, kase.reference, key);
    for (const list of customer.values()) {
      // Half of those who changed their password also say they updated the plugin.
      const ids = key === 'change-password' ? list : list.filter((_, i) => i % 2 === 0);
      for (const { id, at: when } of ids) {
        await db
          .transaction()
          .execute((tx) =>
            applyConfirmations(
              tx,
              dialect,
              { kase, remedy, source: 'customer', action: 'confirm', at: when, actor: 'demo' },
              [id],
            ),
          );
      }
    }
  }
  // The scanner runs once a day, in the early morning.
  for (const [day, externalIds] of provider) {
    const when = new Date(
      Math.min(now.getTime() - 60_000, sentAt.getTime() + day * DAY + 18 * HOUR),
    );
    await confirmRemedyForCustomers(
      admin,
      caseId,
      'update-plugin',
      { externalIds },
      { at: when.toISOString() },
      ctx.deps,
    );
  }
}

function dayOf(draw: number, shares: readonly number[]): number | null {
  let sum = 0;
  for (let day = 0; day < shares.length; day += 1) {
    sum += shares[day]!;
    if (draw < sum) return day;
  }
  return null;
}
