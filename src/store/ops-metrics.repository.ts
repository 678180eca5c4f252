import { sql } from 'kysely';
import type { Executor } from './executor.js';

// The numbers behind /metrics and /readyz. Each query is one of a few per scrape (the
// service caches the result for a few seconds), so they favour one pass over many.

/** Deliveries per state, with the attempts beyond the first (retries) summed alongside. */
export interface DeliveryTotals {
  byState: Record<string, number>;
  retries: number;
}

/**
 * One pass over the deliveries, grouped by state. No index helps a whole-table count, so this
 * is a sequential scan (measured in docs/operations.md); callers cache it.
 */
export async function countDeliveriesByState(db: Executor): Promise<DeliveryTotals> {
  const rows = await db
    .selectFrom('deliveries')
    .select((eb) => [
      'state',
      eb.fn.countAll<number>().as('count'),
      sql<number>`sum(case when attempts > 1 then attempts - 1 else 0 end)`.as('retries'),
    ])
    .groupBy('state')
    .execute();
  const byState: Record<string, number> = {};
  let retries = 0;
  for (const r of rows) {
    byState[r.state] = Number(r.count);
    retries += Number(r.retries ?? 0);
  }
  return { byState, retries };
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
