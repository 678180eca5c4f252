import { sql } from 'kysely';
import type { Executor } from './executor.js';

// The numbers behind /metrics and /readyz. Delivery counts per state come per dispatch from
// dispatch.repository's countDeliveriesByState, which the deliveries_queue index answers
// without reading the table (a whole-table group-by took 0.6-0.9 s on SQLite and ~0.3 s on
// PostgreSQL at a million deliveries; see docs/operations.md).

/** Every dispatch with its state, for counting its deliveries one dispatch at a time. */
export async function listDispatchStates(db: Executor): Promise<{ id: number; state: string }[]> {
  const rows = await db.selectFrom('dispatches').select(['id', 'state']).execute();
  return rows.map((r) => ({ id: Number(r.id), state: r.state }));
}

/**
 * Attempts beyond the first over a dispatch's deliveries: read from the partial index
 * deliveries_retried (only deliveries tried more than once), not from the table.
 */
export async function countRetries(db: Executor, dispatchId: number): Promise<number> {
  const row = await db
    .selectFrom('deliveries')
    .select(sql<number>`coalesce(sum(attempts - 1), 0)`.as('retries'))
    .where('dispatch_id', '=', dispatchId)
    // A literal, not a parameter: SQLite uses a partial index only when it can see that the
    // query's condition implies the index's.
    .where(sql<boolean>`attempts > 1`)
    .executeTakeFirst();
  return Number(row?.retries ?? 0);
}

/** What waits to be sent in running dispatches, and the earliest due time among it. */
export interface QueueDepth {
  waiting: number;
  /** The next_attempt_at of the longest-waiting due delivery, or null when none is due. */
  oldestDueAt: string | null;
}

/**
 * Queued and deferred deliveries of running dispatches. Walks the deliveries_queue index
 * (dispatch_id, state, next_attempt_at) per running dispatch; paused and finished ones are
 * never read.
 */
export async function readQueueDepth(db: Executor, now: string): Promise<QueueDepth> {
  const row = await db
    .selectFrom('deliveries')
    .select((eb) => [
      eb.fn.countAll<number>().as('waiting'),
      eb.fn
        .min(eb.case().when('next_attempt_at', '<=', now).then(eb.ref('next_attempt_at')).end())
        .as('oldest'),
    ])
    .where('dispatch_id', 'in', (eb) =>
      eb.selectFrom('dispatches').select('id').where('state', '=', 'running'),
    )
    .where('state', 'in', ['queued', 'deferred'])
    .executeTakeFirst();
  const oldest = row?.oldest ?? null;
  return {
    waiting: Number(row?.waiting ?? 0),
    oldestDueAt: oldest === null ? null : new Date(oldest).toISOString(),
  };
}

/** Dispatch workers whose heartbeat is at or after `since`. */
export async function countLiveWorkers(db: Executor, since: string): Promise<number> {
  const row = await db
    .selectFrom('dispatch_workers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('heartbeat_at', '>=', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The name of the newest migration applied to this database, or null on an empty one. */
export async function readLatestMigration(db: Executor): Promise<string | null> {
  const { rows } = await sql<{
    name: string;
  }>`select name from kysely_migration order by name desc limit 1`.execute(db);
  return rows[0]?.name ?? null;
}
