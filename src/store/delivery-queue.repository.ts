import { sql } from 'kysely';
import type { Dialect } from './database.js';
import type { Executor } from './executor.js';
import { readFactsObject } from './executor.js';
import type { DeliveryState } from '../domain/delivery.js';

/** A claimed delivery with what rendering needs: the frozen recipient. */
export interface ClaimedDelivery {
  id: number;
  dispatchId: number;
  recipientId: number;
  email: string;
  attempts: number;
  messageId: string;
  recipient: {
    externalId: string;
    name: string | null;
    language: string;
    street: string | null;
    postalCode: string | null;
    city: string | null;
    country: string | null;
    attributes: Record<string, unknown>;
    impact: Record<string, unknown>;
  };
}

interface ClaimRow {
  id: number;
  dispatch_id: number;
  recipient_id: number;
  email: string;
  attempts: number;
  message_id: string;
  external_id: string;
  name: string | null;
  language: string;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  attributes: unknown;
  impact: unknown;
}

/**
 * Claims up to `limit` due deliveries of one dispatch for a worker: queued ones, then
 * deferred ones whose time has come. On PostgreSQL, FOR UPDATE SKIP LOCKED lets several
 * workers claim side by side without waiting for or double-claiming each other's rows;
 * SQLite has one writer, the caller's IMMEDIATE transaction.
 */
export async function claimDeliveries(
  db: Executor,
  dialect: Dialect,
  dispatchId: number,
  workerId: string,
  limit: number,
  now: string,
): Promise<ClaimedDelivery[]> {
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  // The dispatch's state is checked here, not only when the worker picked it: a pause that
  // commits between that look and this claim must stop the claim. FOR SHARE makes the two
  // wait for each other on PostgreSQL: without it, a claim that read 'running' just before a
  // pause committed would land after the pause had reported "nothing sending", and its
  // batch would go out behind the operator's back.
  const share = dialect === 'postgres' ? sql`for share` : sql``;
  const due = sql`select id from deliveries
     where dispatch_id = ${dispatchId}
       and ((state = 'queued') or (state = 'deferred' and next_attempt_at <= ${now}))
       and exists (select 1 from dispatches
                    where id = ${dispatchId} and state = 'running' ${share})
     limit ${limit} ${lock}`;
  const claimed = await sql<{ id: number }>`update deliveries
       set state = 'sending', claimed_by = ${workerId}, claimed_at = ${now},
           attempts = attempts + 1, updated_at = ${now}
     where id in (${due})
     returning id`.execute(db);
  if (claimed.rows.length === 0) return [];
  const rows = await sql<ClaimRow>`select d.id, d.dispatch_id, d.recipient_id, d.email, d.attempts,
         d.message_id, r.external_id, r.name, r.language, r.street, r.postal_code, r.city,
         r.country, r.attributes, r.impact
    from deliveries d join case_recipients r on r.id = d.recipient_id
   where d.id in (${sql.join(claimed.rows.map((r) => r.id))})
   order by d.id`.execute(db);
  return rows.rows.map((r) => ({
    id: Number(r.id),
    dispatchId: Number(r.dispatch_id),
    recipientId: Number(r.recipient_id),
    email: r.email,
    attempts: Number(r.attempts),
    messageId: r.message_id,
    recipient: {
      externalId: r.external_id,
      name: r.name,
      language: r.language,
      street: r.street,
      postalCode: r.postal_code,
      city: r.city,
      country: r.country,
      attributes: readFactsObject(r.attributes),
      impact: readFactsObject(r.impact),
    },
  }));
}

/** The outcome of one attempt, to record. */
export interface DeliveryResult {
  id: number;
  state: 'sent' | 'deferred' | 'bounced' | 'failed';
  response: string;
  nextAttemptAt: string | null;
}

/**
 * Records a batch of outcomes in one statement; one commit per row would cap PostgreSQL at
 * a few thousand rows/s. Only rows still claimed by this worker are touched, so a worker
 * that was presumed dead cannot overwrite what its successor recorded.
 */
export async function recordDeliveryResults(
  db: Executor,
  dialect: Dialect,
  workerId: string,
  results: DeliveryResult[],
  now: string,
): Promise<void> {
  if (results.length === 0) return;
  const ts = dialect === 'postgres' ? sql`::timestamptz` : sql``;
  const values = sql.join(
    results.map(
      (r) =>
        sql`(${r.id}, ${r.state}, ${r.response.slice(0, 1000)}, ${r.nextAttemptAt ?? now}${ts})`,
    ),
  );
  const id = dialect === 'postgres' ? sql`v.id::bigint` : sql`v.id`;
  await sql`with v(id, state, response, next_at) as (values ${values})
    update deliveries set
      state = v.state,
      smtp_response = v.response,
      next_attempt_at = v.next_at,
      sent_at = case when v.state = 'sent' then ${now}${ts} else deliveries.sent_at end,
      claimed_by = null,
      updated_at = ${now}${ts}
    from v
    where deliveries.id = ${id} and deliveries.claimed_by = ${workerId} and deliveries.state = 'sending'`.execute(
    db,
  );
}

/**
 * Puts deliveries left in 'sending' by workers that are gone back in the queue. These are
 * the in-flight window of a crash: claimed, perhaps sent, not recorded. Those of a dispatch
 * cancelled meanwhile are cancelled instead: queued rows of a cancelled dispatch would never
 * be claimed nor counted as done.
 */
export async function requeueOrphanedDeliveries(
  db: Executor,
  liveWorkerIds: string[],
  now: string,
): Promise<number> {
  const state = sql<DeliveryState>`case when exists (select 1 from dispatches
      where dispatches.id = deliveries.dispatch_id and dispatches.state = 'cancelled')
    then 'cancelled' else 'queued' end`;
  let q = db
    .updateTable('deliveries')
    .set({ state, claimed_by: null, updated_at: now, next_attempt_at: now })
    .where('state', '=', 'sending');
  if (liveWorkerIds.length > 0) q = q.where('claimed_by', 'not in', liveWorkerIds);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

/** Whether a dispatch has anything left to do. */
export async function countOpenDeliveries(db: Executor, dispatchId: number): Promise<number> {
  const { n } = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('dispatch_id', '=', dispatchId)
    .where('state', 'in', ['queued', 'sending', 'deferred'])
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Registers or refreshes a worker's heartbeat. */
export async function heartbeatWorker(
  db: Executor,
  worker: { id: string; host: string; pid: number },
  now: string,
): Promise<void> {
  await db
    .insertInto('dispatch_workers')
    .values({ ...worker, started_at: now, heartbeat_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at: now }))
    .execute();
}

/** Workers whose heartbeat is recent enough to count as alive. */
export async function listLiveWorkers(db: Executor, since: string): Promise<string[]> {
  const rows = await db
    .selectFrom('dispatch_workers')
    .select('id')
    .where('heartbeat_at', '>=', since)
    .execute();
  return rows.map((r) => r.id);
}

/** Removes a worker that stopped cleanly, so nobody waits for it to go stale. */
export async function deregisterWorker(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('dispatch_workers').where('id', '=', id).execute();
}

/** Forgets workers long gone. */
export async function removeStaleWorkers(db: Executor, before: string): Promise<void> {
  await db.deleteFrom('dispatch_workers').where('heartbeat_at', '<', before).execute();
}
