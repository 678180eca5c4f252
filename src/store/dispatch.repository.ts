import {
  sql,
  type RawBuilder,
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type SqlBool,
} from 'kysely';
import type { Dialect } from './database.js';
import type { Executor } from './executor.js';
import type { DB, DeliveryRow, DispatchRow, DispatchesTable } from './schema.js';
import type { DeliveryState, DispatchState } from '../domain/delivery.js';

/** A filter over customers, compiled by the caller (store/customer-filter.ts). */
export type CustomerWhere = (eb: ExpressionBuilder<DB, 'customers'>) => Expression<SqlBool>;

/** Recipients of a case that still need a personal-page token hash, a page at a time. */
export async function listRecipientsWithoutToken(
  db: Executor,
  caseId: number,
  afterId: number,
  limit: number,
): Promise<{ id: number }[]> {
  return db
    .selectFrom('case_recipients')
    .select('id')
    .where('case_id', '=', caseId)
    .where('token_hash', 'is', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Stores personal-page token hashes in one statement per batch. */
export async function setRecipientTokenHashes(
  db: Executor,
  rows: { id: number; hash: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(rows.map((r) => sql`(${r.id}, ${r.hash})`));
  // A CTE with column names: SQLite does not take column aliases on a VALUES subquery.
  // The cast: PostgreSQL types the VALUES parameters as text, and bigint = text has no operator.
  await sql`with v(id, hash) as (values ${values})
    update case_recipients set token_hash = v.hash
      from v where case_recipients.id = cast(v.id as bigint)`.execute(db);
}

/**
 * Holds the case row until the caller's transaction ends, so that starts of dispatches of one
 * case run one after another: the second sees what the first froze and inserted. PostgreSQL
 * needs the row lock; SQLite transactions are IMMEDIATE, one writer at a time already.
 */
export async function lockCaseForDispatch(
  db: Executor,
  dialect: Dialect,
  caseId: number,
): Promise<void> {
  if (dialect !== 'postgres') return;
  await db.selectFrom('cases').select('id').where('id', '=', caseId).forUpdate().execute();
}

/** Whether an error is the refusal of a second live dispatch of one notice (its unique index). */
export function isSecondDispatchOfNotice(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e?.code === '23505') return e.constraint === 'dispatches_notice_once';
  return (
    typeof e?.message === 'string' &&
    e.message.includes('UNIQUE constraint failed: dispatches.notice_id')
  );
}

/** Inserts a dispatch and returns its id. */
export async function insertDispatch(
  db: Executor,
  row: Insertable<DispatchesTable>,
): Promise<number> {
  const { id } = await db
    .insertInto('dispatches')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/**
 * A dispatch to chosen recipients only (a reminder run), instead of the whole frozen set:
 * `predicate` is a condition over the frozen recipient `r` (a `case_recipients` row), built in
 * the repository of whoever chooses, and evaluated in the same statement that queues the
 * deliveries, so whoever stopped qualifying until that instant is left out.
 */
export interface RecipientSelection {
  /** What chose them, stored on the dispatch (e.g. `reminder 3 run 2`). */
  label: string;
  predicate: RawBuilder<unknown>;
}

/**
 * One queued delivery per frozen recipient with an email address, set-based. The
 * Message-ID names the delivery itself (deliveryMessageId in domain/delivery.ts), so a bounce
 * finds its row by primary key. The ids are therefore taken up front, so that one statement
 * writes both: from the identity sequence on PostgreSQL; on SQLite (one writer, inside the
 * caller's transaction) the ids after the last one AUTOINCREMENT handed out.
 */
export async function createDeliveries(
  db: Executor,
  dialect: Dialect,
  dispatchId: number,
  caseId: number,
  domain: string,
  now: string,
  selection?: RecipientSelection,
): Promise<number> {
  const nextId =
    dialect === 'postgres'
      ? sql`nextval(pg_get_serial_sequence('deliveries', 'id'))`
      : sql`coalesce((select seq from sqlite_sequence where name = 'deliveries'), 0)
              + row_number() over (order by r.id)`;
  const id = dialect === 'postgres' ? sql`n.id::text` : sql`n.id`;
  const result = await sql`insert into deliveries
      (id, dispatch_id, recipient_id, email, state, attempts, next_attempt_at, message_id, updated_at)
    select n.id, ${dispatchId}, n.recipient_id, n.email, 'queued', 0, ${now},
           '<candor.' || ${String(dispatchId)} || '.' || ${id} || '@' || ${domain} || '>', ${now}
      from (select ${nextId} as id, r.id as recipient_id, r.email
              from case_recipients r
             where r.case_id = ${caseId} and r.email is not null
               ${selection ? sql`and (${selection.predicate})` : sql``}) n
     order by n.id`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** One dispatch by id. */
export async function findDispatch(db: Executor, id: number): Promise<DispatchRow | undefined> {
  return db.selectFrom('dispatches').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Dispatches in a state (the worker looks for running ones). */
export async function listDispatchesInState(
  db: Executor,
  state: DispatchState,
): Promise<DispatchRow[]> {
  return db.selectFrom('dispatches').selectAll().where('state', '=', state).orderBy('id').execute();
}

/** Dispatches of a notice, newest first. */
export async function listDispatchesOfNotice(
  db: Executor,
  noticeId: number,
): Promise<DispatchRow[]> {
  return db
    .selectFrom('dispatches')
    .selectAll()
    .where('notice_id', '=', noticeId)
    .orderBy('id', 'desc')
    .execute();
}

/** Dispatches of a case, newest first. */
export async function listDispatchesOfCase(db: Executor, caseId: number): Promise<DispatchRow[]> {
  return db
    .selectFrom('dispatches')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id', 'desc')
    .execute();
}

/** Moves a dispatch from one state to another; false when it was not in `from` (a race lost). */
export async function transitionDispatch(
  db: Executor,
  id: number,
  from: readonly DispatchState[],
  to: DispatchState,
  finishedAt: string | null = null,
): Promise<boolean> {
  const result = await db
    .updateTable('dispatches')
    .set({ state: to, finished_at: finishedAt })
    .where('id', '=', id)
    .where('state', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Delivery counts per state for a dispatch: of one channel, or of all (letters included). */
export async function countDeliveriesByState(
  db: Executor,
  dispatchId: number,
  channel?: 'email' | 'letter',
): Promise<Partial<Record<DeliveryState, number>>> {
  let q = db
    .selectFrom('deliveries')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('dispatch_id', '=', dispatchId);
  if (channel) q = q.where('channel', '=', channel);
  const rows = await q.groupBy('state').execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/**
 * What the deferred deliveries of a dispatch wait for: the server answer of the newest
 * deferral (e.g. "connect ECONNREFUSED" while the relay is down), when it was recorded, and
 * when the next retry is due. Both read the queue index (dispatch, state, next attempt).
 */
export async function describeDeferrals(
  db: Executor,
  dispatchId: number,
): Promise<{ response: string | null; at: string; nextAttemptAt: string } | undefined> {
  const newest = await db
    .selectFrom('deliveries')
    .select(['smtp_response', 'updated_at'])
    .where('dispatch_id', '=', dispatchId)
    .where('state', '=', 'deferred')
    .orderBy('next_attempt_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!newest) return undefined;
  const soonest = await db
    .selectFrom('deliveries')
    .select('next_attempt_at')
    .where('dispatch_id', '=', dispatchId)
    .where('state', '=', 'deferred')
    .orderBy('next_attempt_at', 'asc')
    .limit(1)
    .executeTakeFirst();
  // Not one transaction: the last deferred delivery may have been retried in between.
  if (!soonest) return undefined;
  return {
    response: newest.smtp_response,
    at: newest.updated_at,
    nextAttemptAt: soonest.next_attempt_at,
  };
}

/** Deliveries of a dispatch sent since an instant (for the rate). */
export async function countSentSince(
  db: Executor,
  dispatchId: number,
  since: string,
): Promise<number> {
  const { n } = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('dispatch_id', '=', dispatchId)
    .where('state', '=', 'sent')
    .where('sent_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Cancels what has not been sent yet. */
export async function cancelOpenDeliveries(
  db: Executor,
  dispatchId: number,
  now: string,
): Promise<number> {
  const result = await db
    .updateTable('deliveries')
    .set({ state: 'cancelled', updated_at: now })
    .where('dispatch_id', '=', dispatchId)
    .where('state', 'in', ['queued', 'deferred'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** One delivery by id. */
export async function findDelivery(db: Executor, id: number): Promise<DeliveryRow | undefined> {
  return db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Moves when a dispatch was started (the demo's seeded history; nothing else writes it). */
export async function setDispatchCreatedAt(
  db: Executor,
  dispatchId: number,
  createdAt: string,
): Promise<void> {
  await db
    .updateTable('dispatches')
    .set({ created_at: createdAt })
    .where('id', '=', dispatchId)
    .execute();
}
