import { sql, type Insertable, type Updateable } from 'kysely';
import type { CompletionRow } from '../domain/remedies/remedy-confirmation.js';
import type { CompletionAction, CompletionSource } from '../domain/remedies/remedy.js';
import type { Dialect } from './database.js';
import type { Executor } from './executor.js';
import type { RemediesTable, RemedyRow, RemedyTextRow } from './schema-remedies.js';

/**
 * Remedies, their texts and who completed them. Confirmations arrive in batches of thousands,
 * so every function that takes ids works on the whole list in one statement, never one
 * statement per id.
 */

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

/**
 * A list as one bound parameter, read back as a one-column table (`value`): a JSON array
 * through json_each on SQLite and json_array_elements_text on PostgreSQL. 100,000 ids cost one
 * parameter and one small statement, instead of a statement with thousands of placeholders.
 */
function listTable(
  dialect: Dialect,
  values: readonly (string | number)[],
  type: 'text' | 'bigint',
) {
  const json = JSON.stringify(values);
  if (dialect === 'sqlite') return sql`(select value from json_each(${json}))`;
  return type === 'bigint'
    ? sql`(select value::bigint from json_array_elements_text(${json}::json) as value)`
    : sql`(select value from json_array_elements_text(${json}::json) as value)`;
}

/** A bound value as a timestamp (PostgreSQL does not infer it inside INSERT … SELECT). */
function ts(dialect: Dialect, value: string | null) {
  return dialect === 'postgres' ? sql`${value}::timestamptz` : sql`${value}`;
}

/** The frozen recipients of a case by external id; ids not in the set are absent. */
export async function findRecipientIds(
  db: Executor,
  dialect: Dialect,
  caseId: number,
  externalIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('case_recipients')
    .select(['id', 'external_id'])
    .where('case_id', '=', caseId)
    .where(sql<boolean>`external_id in ${listTable(dialect, externalIds, 'text')}`)
    .execute();
  return new Map(rows.map((r) => [r.external_id, Number(r.id)]));
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
  const ids = listTable(dialect, recipientIds, 'bigint');
  // `where true` keeps SQLite from reading ON CONFLICT as a join clause of the SELECT.
  await sql`insert into remedy_completions (remedy_id, recipient_id, updated_at)
    select ${remedyId}, value, ${ts(dialect, now)} from ${ids} as ids where true
    on conflict (remedy_id, recipient_id) do nothing`.execute(db);
  let q = db
    .selectFrom('remedy_completions')
    .select(['recipient_id', 'customer_confirmed_at', 'provider_confirmed_at', 'completed_at'])
    .where('remedy_id', '=', remedyId)
    .where(sql<boolean>`recipient_id in ${ids}`);
  if (dialect === 'postgres') q = q.forUpdate();
  const out = new Map<number, CompletionRow>();
  for (const r of await q.execute()) {
    out.set(Number(r.recipient_id), {
      customerConfirmedAt: r.customer_confirmed_at,
      providerConfirmedAt: r.provider_confirmed_at,
      completedAt: r.completed_at,
    });
  }
  return out;
}

/** Sets one source's confirmation time (or null) on many rows at once. */
export async function setConfirmation(
  db: Executor,
  dialect: Dialect,
  remedyId: number,
  source: CompletionSource,
  recipientIds: readonly number[],
  value: string | null,
  now: string,
): Promise<void> {
  if (recipientIds.length === 0) return;
  const column = source === 'customer' ? 'customer_confirmed_at' : 'provider_confirmed_at';
  await db
    .updateTable('remedy_completions')
    .set({ [column]: value, updated_at: now })
    .where('remedy_id', '=', remedyId)
    .where(sql<boolean>`recipient_id in ${listTable(dialect, recipientIds, 'bigint')}`)
    .execute();
}

/** Sets completed_at on many rows; `byValue` groups the rows by the value they get. */
export async function setCompletedAt(
  db: Executor,
  dialect: Dialect,
  remedyId: number,
  byValue: ReadonlyMap<string | null, readonly number[]>,
): Promise<void> {
  for (const [value, ids] of byValue) {
    await db
      .updateTable('remedy_completions')
      .set({ completed_at: value })
      .where('remedy_id', '=', remedyId)
      .where(sql<boolean>`recipient_id in ${listTable(dialect, ids, 'bigint')}`)
      .execute();
  }
}

/**
 * Keeps `case_recipients.remedied_at` (the recall's "done", read by the tracker, dashboards and
 * reports) in step with the remedies: the time the last live remedy was completed once all
 * are, else null. Only for recipients whose completion just changed.
 */
export async function syncRecipientsRemedied(
  db: Executor,
  dialect: Dialect,
  recipientIds: readonly number[],
): Promise<void> {
  if (recipientIds.length === 0) return;
  await db
    .updateTable('case_recipients')
    .set({
      remedied_at: sql<string | null>`case when not exists (
          select 1 from remedies r
          where r.case_id = case_recipients.case_id and r.retired_at is null
            and not exists (
              select 1 from remedy_completions c
              where c.remedy_id = r.id and c.recipient_id = case_recipients.id
                and c.completed_at is not null))
        then (select max(c.completed_at) from remedy_completions c
              join remedies r on r.id = c.remedy_id
              where r.retired_at is null and c.recipient_id = case_recipients.id)
        else null end`,
    })
    .where(sql<boolean>`id in ${listTable(dialect, recipientIds, 'bigint')}`)
    .execute();
}

/** Completion events that share everything but the recipient. */
export interface CompletionEventGroup {
  source: CompletionSource;
  action: CompletionAction;
  at: string;
  recipientIds: number[];
}

/** Appends completion events (the curve is read from these), one statement per group. */
export async function insertCompletionEvents(
  db: Executor,
  dialect: Dialect,
  remedyId: number,
  actor: string,
  groups: readonly CompletionEventGroup[],
): Promise<void> {
  for (const g of groups) {
    if (g.recipientIds.length === 0) continue;
    await sql`insert into remedy_completion_events (remedy_id, recipient_id, source, action, at, actor)
      select ${remedyId}, value, ${g.source}, ${g.action}, ${ts(dialect, g.at)}, ${actor}
      from ${listTable(dialect, g.recipientIds, 'bigint')} as ids`.execute(db);
  }
}

/**
 * `remedy.completed` recall events for many recipients at once (recall-event.repository.ts
 * writes one at a time): a batch of provider confirmations can complete thousands together.
 */
export async function insertCompletedRecallEvents(
  db: Executor,
  dialect: Dialect,
  event: { caseId: number; data: string; at: string; recipientIds: readonly number[] },
): Promise<void> {
  if (event.recipientIds.length === 0) return;
  const data = dialect === 'postgres' ? sql`${event.data}::jsonb` : sql`${event.data}`;
  await sql`insert into recall_events (kind, case_id, recipient_id, data, at)
    select ${'remedy.completed'}, ${event.caseId}, value, ${data}, ${ts(dialect, event.at)}
    from ${listTable(dialect, event.recipientIds, 'bigint')} as ids`.execute(db);
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
