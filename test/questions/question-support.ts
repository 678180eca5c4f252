/**
 * Shared pieces of the question tests: the customers, reading the page's question form, and
 * remedies written straight into their tables (the remedies CRUD is built elsewhere).
 */
import type { Executor } from '../../src/store/executor.js';
import type { TestCustomer } from '../personal-page/recall-case.js';

const plain = (external_id: string, language: 'nl' | 'en', name: string): TestCustomer => ({
  external_id,
  email: `${external_id.toLowerCase()}@klant.example`,
  name,
  language,
  impact: {},
});

export const QUESTION_CUSTOMERS: TestCustomer[] = [
  {
    external_id: 'Q-NL',
    email: 'marieke@bakkerij-jansen.example',
    name: 'Marieke Jansen',
    language: 'nl',
    impact: { data: 'naam, e-mailadres', domains: ['bakkerij-jansen.nl'] },
  },
  {
    external_id: 'Q-EN',
    email: 'john@smith.example',
    name: 'John Smith',
    language: 'en',
    impact: { data: 'name, email address', servers: 'web12' },
  },
  plain('Q-CSRF', 'nl', 'Cees Csrf'),
  plain('Q-MANY', 'nl', 'Mieke Veel'),
  plain('Q-A1', 'nl', 'Adres Een'),
  plain('Q-A2', 'nl', 'Adres Twee'),
  plain('Q-A3', 'nl', 'Adres Drie'),
  { ...plain('Q-NOMAIL', 'nl', 'Zonder Mail'), email: null },
];

/** Markup with the formatting whitespace between tags gone, for readable assertions. */
export function flat(page: string): string {
  return page.replace(/>\s+</g, '><').replace(/\s+/g, ' ');
}

/** The nonce of the page's question form. */
export function questionNonce(page: string): string {
  const match =
    /action="\/n\/[^"]+\/questions"[^>]*><input type="hidden" name="nonce" value="([^"]+)"/.exec(
      flat(page),
    );
  if (!match) throw new Error('no question form on the page');
  return match[1]!;
}

/** A remedy with texts, straight into the tables; returns its id. */
export async function insertRemedy(
  db: Executor,
  caseId: number,
  remedy: { key: string; position: number; titles: Record<string, string> },
): Promise<number> {
  const now = new Date().toISOString();
  const row = await db
    .insertInto('remedies')
    .values({
      case_id: caseId,
      key: remedy.key,
      position: remedy.position,
      completion: 'customer',
      created_by: 'test',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [language, title] of Object.entries(remedy.titles)) {
    await db
      .insertInto('remedy_texts')
      .values({
        remedy_id: row.id,
        language,
        title,
        instructions: title,
        updated_by: 'test',
        updated_at: now,
      })
      .execute();
  }
  return Number(row.id);
}

/** A recipient's completion of a remedy, as the completion service would record it. */
export async function completeRemedy(
  db: Executor,
  remedyId: number,
  recipientId: number,
  at: string,
): Promise<void> {
  await db
    .insertInto('remedy_completions')
    .values({
      remedy_id: remedyId,
      recipient_id: recipientId,
      customer_confirmed_at: at,
      completed_at: at,
      updated_at: at,
    })
    .execute();
}
