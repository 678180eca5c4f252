import { sql } from 'kysely';
import type { Executor } from './executor.js';
import type { LoginThrottleRow } from './schema-workspace.js';

/** The throttle rows of these keys. */
export async function findThrottles(db: Executor, keys: string[]): Promise<LoginThrottleRow[]> {
  if (keys.length === 0) return [];
  return db.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute();
}

/**
 * Counts one failure atomically (several processes may count at once) and returns the new
 * count. The count starts over at 1 when the row is older than `resetBefore`: measured from
 * the window's start ('window': at most N per window) or from the last failure ('last':
 * forgotten after a quiet period).
 */
export async function countFailure(
  db: Executor,
  key: string,
  now: string,
  resetBefore: string,
  since: 'window' | 'last',
): Promise<number> {
  const stale =
    since === 'window'
      ? sql<boolean>`login_throttle.window_start < ${resetBefore}`
      : sql<boolean>`login_throttle.updated_at < ${resetBefore}`;
  const row = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, window_start: now, locked_until: null, updated_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when ${stale} then 1 else login_throttle.failures + 1 end`,
        window_start: sql<string>`case when ${stale} then ${now} else login_throttle.window_start end`,
        updated_at: now,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return Number(row.failures);
}

/** Sets (or clears) the lock of a key. */
export async function setLock(db: Executor, key: string, until: string | null): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set({ locked_until: until })
    .where('key', '=', key)
    .execute();
}

/** Forgets a key (after a successful login from that user and address). */
export async function clearThrottle(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

/** Removes rows nobody touched since `before`. */
export async function deleteOldThrottles(db: Executor, before: string): Promise<number> {
  const result = await db
    .deleteFrom('login_throttle')
    .where('updated_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
