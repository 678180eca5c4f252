/**
 * A small recall with hand-counted completion, around the end of daylight saving time in
 * Amsterdam (Sunday 25 October 2026, 03:00 CEST → 02:00 CET). Day 0 is Friday 23 October.
 *
 * | who | delivery                 | read        | remedy A (customer) | remedy B (both)               |
 * |-----|--------------------------|-------------|---------------------|-------------------------------|
 * | R1  | sent 23-10 09:00Z        | 23-10 10:00Z| 27-10 08:00Z (d4)   | c 24-10 10:00Z, p 24-10 22:30Z (d2: 00:30 CEST on the 25th) |
 * | R2  | sent 23-10 09:00Z        | 24-10 22:30Z (d2) | 25-10 08:00Z (d2) | p 25-10 09:00Z, c 25-10 23:30Z (d3: 00:30 CET on the 26th); p withdrawn 28-10 09:00Z (d5) |
 * | R3  | bounced                  |             | 26-10 12:00Z (d3)   |                               |
 * | R4  | failed                   |             |                     |                               |
 * | R5  | no email, letter posted 26-10 08:00Z (d3) | 26-10 09:00Z (d3) | |                   |
 * | R6  | no email, nothing        |             |                     |                               |
 * | R7  | sent 23-10 09:00Z        |             | (retired remedy C done) |                           |
 * | R8  | sent 23-10 09:05Z        | 23-10 12:00Z| 23-10 13:00Z (d0)   |                               |
 */
import type { AppContext } from '../../src/wiring.js';
import {
  createRecallCase,
  type RecallCase,
  type TestCustomer,
} from '../personal-page/recall-case.js';
import {
  acknowledge,
  addRemedy,
  confirm,
  postLetter,
  settleMail,
  withdraw,
  type FixtureRemedy,
} from './completion-fixture.js';

export const SINCE = '2026-10-23T08:00:00.000Z';
export const NOW = new Date('2026-10-28T12:00:00.000Z');
export const ZONE = 'Europe/Amsterdam';

export interface CompletionScenario {
  recall: RecallCase;
  ids: Record<string, number>;
  a: FixtureRemedy;
  b: FixtureRemedy;
  c: FixtureRemedy;
}

const person = (
  n: number,
  email: string | null,
  language: 'nl' | 'en',
  name = `Klant ${n}`,
): TestCustomer => ({
  external_id: `R${n}`,
  email,
  name,
  language,
  impact: {},
});

/** Builds the scenario; `prefix` keeps external ids unique when one database holds two. */
export async function buildCompletionScenario(ctx: AppContext): Promise<CompletionScenario> {
  const recall = await createRecallCase(ctx, [
    person(1, 'r1@example.nl', 'nl', 'Anna de Vries'),
    person(2, 'r2@example.com', 'en', 'Bob Baker'),
    person(3, 'r3@example.nl', 'nl', '=HYPERLINK("http://evil.example","klik")'),
    person(4, 'r4@example.nl', 'nl', 'Dirk Dijk'),
    person(5, null, 'nl', 'Eva Brief'),
    person(6, null, 'en', 'Frank Nowhere'),
    person(7, 'r7@example.com', 'en', 'Gina Green'),
    person(8, 'r8@example.nl', 'nl', 'Hans Haan'),
  ]);
  const db = ctx.database.db;
  await db
    .updateTable('dispatches')
    .set({ created_at: SINCE })
    .where('id', '=', recall.dispatchId)
    .execute();
  const ids: Record<string, number> = {};
  for (const [key, r] of recall.recipients) ids[key] = r.id;
  const d = recall.dispatchId;
  await settleMail(db, d, ids.R1!, 'sent', '2026-10-23T09:00:00.000Z');
  await settleMail(db, d, ids.R2!, 'sent', '2026-10-23T09:00:00.000Z');
  await settleMail(db, d, ids.R3!, 'bounced', '2026-10-23T09:01:00.000Z');
  await settleMail(db, d, ids.R4!, 'failed', '2026-10-23T11:00:00.000Z');
  await settleMail(db, d, ids.R7!, 'sent', '2026-10-23T09:00:00.000Z');
  await settleMail(db, d, ids.R8!, 'sent', '2026-10-23T09:05:00.000Z');
  await postLetter(db, d, ids.R5!, '2026-10-26T08:00:00.000Z');
  await acknowledge(db, ids.R1!, '2026-10-23T10:00:00.000Z');
  await acknowledge(db, ids.R2!, '2026-10-24T22:30:00.000Z');
  await acknowledge(db, ids.R5!, '2026-10-26T09:00:00.000Z');
  await acknowledge(db, ids.R8!, '2026-10-23T12:00:00.000Z');

  const a = await addRemedy(
    db,
    recall.caseId,
    'update-plugin',
    'customer',
    { nl: 'Werk de plug-in bij', en: 'Update the plugin' },
    { position: 1 },
  );
  const b = await addRemedy(
    db,
    recall.caseId,
    'rotate-key',
    'both',
    { nl: 'Vervang de API-sleutel', en: 'Rotate the API key' },
    { position: 2 },
  );
  const c = await addRemedy(
    db,
    recall.caseId,
    'old-step',
    'customer',
    { nl: 'Vervallen stap', en: 'Retired step' },
    { position: 3, retiredAt: '2026-10-22T08:00:00.000Z' },
  );
  await confirm(db, a, ids.R8!, 'customer', '2026-10-23T13:00:00.000Z');
  await confirm(db, b, ids.R1!, 'customer', '2026-10-24T10:00:00.000Z');
  await confirm(db, b, ids.R1!, 'provider', '2026-10-24T22:30:00.000Z');
  await confirm(db, a, ids.R2!, 'customer', '2026-10-25T08:00:00.000Z');
  await confirm(db, b, ids.R2!, 'provider', '2026-10-25T09:00:00.000Z');
  await confirm(db, b, ids.R2!, 'customer', '2026-10-25T23:30:00.000Z');
  await confirm(db, a, ids.R3!, 'customer', '2026-10-26T12:00:00.000Z');
  await confirm(db, a, ids.R1!, 'customer', '2026-10-27T08:00:00.000Z');
  await confirm(db, c, ids.R7!, 'customer', '2026-10-23T15:00:00.000Z');
  await withdraw(db, b, ids.R2!, 'provider', '2026-10-28T09:00:00.000Z');
  return { recall, ids, a, b, c };
}
