import type { Insertable, Updateable } from 'kysely';
import type { CompletionRow } from '../domain/remedies/remedy-confirmation.js';
import type { CompletionAction, CompletionSource } from '../domain/remedies/remedy.js';
import type { Dialect } from './database.js';
import type { Executor } from './executor.js';
import type {
  RecallEventsTable,
  RemediesTable,
  RemedyRow,
  RemedyTextRow,
} from './schema-remedies.js';

/**
 * Remedies, their texts and who completed them. Confirmations arrive in batches of thousands,
 * so every function that takes ids works on the whole list with a few statements (chunked to
 * stay under SQLite's bound-parameter limit), never one statement per id.
 */

/** Rows per multi-row INSERT: 6 columns × 2,000 stays well under SQLite's 32,766 parameters. */
const INSERT_CHUNK = 2000;
/** Ids per IN list. */
const IN_CHUNK = 5000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A case's remedies in their order, retired ones included. */
export async function listRemedies(db: Executor, caseId: number): Promise<RemedyRow[]> {
  return db
    .selectFrom('remedies')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export async function findRemedyByKey(
  db: Executor,
  caseId: number,
  key: string,
): Promise<RemedyRow | undefined> {
  return db
    .selectFrom('remedies')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('key', '=', key)
    .executeTakeFirst();
}

/** The texts of the given remedies, every language. */
export async function listRemedyTexts(
  db: Executor,
  remedyIds: readonly number[],
): Promise<RemedyTextRow[]> {
  if (remedyIds.length === 0) return [];
  return db
    .selectFrom('remedy_texts')
    .selectAll()
    .where('remedy_id', 'in', remedyIds)
    .orderBy('remedy_id')
    .orderBy('language')
    .execute();
}

export async function insertRemedy(db: Executor, row: Insertable<RemediesTable>): Promise<number> {
  const { id } = await db
    .insertInto('remedies')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

export async function updateRemedy(
  db: Executor,
  id: number,
  patch: Updateable<RemediesTable>,
): Promise<void> {
  await db.updateTable('remedies').set(patch).where('id', '=', id).execute();
}

/** Writes one language of a remedy (insert or replace). */
export async function upsertRemedyText(db: Executor, row: RemedyTextRow): Promise<void> {
  await db
    .insertInto('remedy_texts')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['remedy_id', 'language']).doUpdateSet({
        title: row.title,
        instructions: row.instructions,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** The languages the case's customer notices are written in. */
export async function noticeLanguagesOfCase(db: Executor, caseId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('notice_texts as t')
    .innerJoin('notices as n', 'n.id', 't.notice_id')
    .select('t.language')
    .distinct()
    .where('n.case_id', '=', caseId)
    .where('n.audience', '=', 'affected')
    .execute();
  return rows.map((r) => r.language).sort();
}

/** Per remedy of the case: how many recipients completed it and how many each source confirmed. */
export async function completionCounts(
  db: Executor,
  caseId: number,
): Promise<Map<number, { completed: number; customer: number; provider: number }>> {
  const rows = await db
    .selectFrom('remedy_completions as c')
    .innerJoin('remedies as r', 'r.id', 'c.remedy_id')
    .select((eb) => [
      'c.remedy_id',
      eb.fn.count<number>('c.completed_at').as('completed'),
      eb.fn.count<number>('c.customer_confirmed_at').as('customer'),
      eb.fn.count<number>('c.provider_confirmed_at').as('provider'),
    ])
    .where('r.case_id', '=', caseId)
    .groupBy('c.remedy_id')
    .execute();
  return new Map(
    rows.map((r) => [
      Number(r.remedy_id),
      {
        completed: Number(r.completed),
        customer: Number(r.customer),
        provider: Number(r.provider),
      },
    ]),
  );
}

export async function countCaseRecipients(db: Executor, caseId: number): Promise<number> {
  const row = await db
    .selectFrom('case_recipients')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether anyone has confirmed the remedy (then its completion rule is fixed). */
export async function hasConfirmations(db: Executor, remedyId: number): Promise<boolean> {
  const row = await db
    .selectFrom('remedy_completions')
    .select('recipient_id')
    .where('remedy_id', '=', remedyId)
    .where((eb) =>
      eb.or([
        eb('customer_confirmed_at', 'is not', null),
        eb('provider_confirmed_at', 'is not', null),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The frozen recipients of a case by external id; ids not in the set are absent. */
export async function findRecipientIds(
  db: Executor,
  caseId: number,
  externalIds: readonly string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const part of chunks(externalIds, IN_CHUNK)) {
    const rows = await db
      .selectFrom('case_recipients')
      .select(['id', 'external_id'])
      .where('case_id', '=', caseId)
      .where('external_id', 'in', part)
      .execute();
    for (const r of rows) out.set(r.external_id, Number(r.id));
  }
  return out;
}

/**
 * The completion rows of these recipients for one remedy, created empty where missing and
 * locked for this transaction on PostgreSQL (a customer's click on their page waits instead of
 * interleaving); SQLite holds the one write lock from the insert on.
 */
export async function lockCompletionRows(
  db: Executor,
  dialect: Dialect,
  remedyId: number,
  recipientIds: readonly number[],
  now: string,
): Promise<Map<number, CompletionRow>> {
  const out = new Map<number, CompletionRow>();
  for (const part of chunks(recipientIds, INSERT_CHUNK)) {
    await db
      .insertInto('remedy_completions')
      .values(part.map((id) => ({ remedy_id: remedyId, recipient_id: id, updated_at: now })))
      .onConflict((oc) => oc.columns(['remedy_id', 'recipient_id']).doNothing())
      .execute();
  }
  for (const part of chunks(recipientIds, IN_CHUNK)) {
    let q = db
      .selectFrom('remedy_completions')
      .select(['recipient_id', 'customer_confirmed_at', 'provider_confirmed_at', 'completed_at'])
      .where('remedy_id', '=', remedyId)
      .where('recipient_id', 'in', part);
    if (dialect === 'postgres') q = q.forUpdate();
    for (const r of await q.execute()) {
      out.set(Number(r.recipient_id), {
        customerConfirmedAt: r.customer_confirmed_at,
        providerConfirmedAt: r.provider_confirmed_at,
        completedAt: r.completed_at,
      });
    }
  }
  return out;
}

/** Sets one source's confirmation time (or null) on many rows at once. */
export async function setConfirmation(
  db: Executor,
  remedyId: number,
  source: CompletionSource,
  recipientIds: readonly number[],
  value: string | null,
  now: string,
): Promise<void> {
  const column = source === 'customer' ? 'customer_confirmed_at' : 'provider_confirmed_at';
  for (const part of chunks(recipientIds, IN_CHUNK)) {
    await db
      .updateTable('remedy_completions')
      .set({ [column]: value, updated_at: now })
      .where('remedy_id', '=', remedyId)
      .where('recipient_id', 'in', part)
      .execute();
  }
}

/** Sets completed_at on many rows; `byValue` groups the rows by the value they get. */
export async function setCompletedAt(
  db: Executor,
  remedyId: number,
  byValue: ReadonlyMap<string | null, readonly number[]>,
): Promise<void> {
  for (const [value, ids] of byValue) {
    for (const part of chunks(ids, IN_CHUNK)) {
      await db
        .updateTable('remedy_completions')
        .set({ completed_at: value })
        .where('remedy_id', '=', remedyId)
        .where('recipient_id', 'in', part)
        .execute();
    }
  }
}

export interface CompletionEventInput {
  recipientId: number;
  source: CompletionSource;
  action: CompletionAction;
  at: string;
}

/** Appends completion events (the curve is read from these). */
export async function insertCompletionEvents(
  db: Executor,
  remedyId: number,
  actor: string,
  events: readonly CompletionEventInput[],
): Promise<void> {
  for (const part of chunks(events, INSERT_CHUNK)) {
    await db
      .insertInto('remedy_completion_events')
      .values(
        part.map((e) => ({
          remedy_id: remedyId,
          recipient_id: e.recipientId,
          source: e.source,
          action: e.action,
          at: e.at,
          actor,
        })),
      )
      .execute();
  }
}

/**
 * Many recall events in one go (recall-event.repository.ts writes one at a time): a batch of
 * provider confirmations can complete a remedy for thousands of recipients at once.
 */
export async function insertRecallEvents(
  db: Executor,
  rows: readonly Omit<Insertable<RecallEventsTable>, 'fanned_out_at'>[],
): Promise<void> {
  for (const part of chunks(rows, INSERT_CHUNK)) {
    await db.insertInto('recall_events').values(part).execute();
  }
}

/** One recipient's completion rows for the case's remedies. */
export async function completionsOfRecipient(
  db: Executor,
  recipientId: number,
): Promise<Map<number, CompletionRow>> {
  const rows = await db
    .selectFrom('remedy_completions')
    .select(['remedy_id', 'customer_confirmed_at', 'provider_confirmed_at', 'completed_at'])
    .where('recipient_id', '=', recipientId)
    .execute();
  return new Map(
    rows.map((r) => [
      Number(r.remedy_id),
      {
        customerConfirmedAt: r.customer_confirmed_at,
        providerConfirmedAt: r.provider_confirmed_at,
        completedAt: r.completed_at,
      },
    ]),
  );
}
