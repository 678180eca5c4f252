import { sql } from 'kysely';
import type { Executor } from './executor.js';
import type { LoginThrottleRow } from './schema-workspace.js';

/** The throttle rows of these keys. */
export async function findThrottles(db: Executor, keys: string[]): Promise<LoginThrottleRow[]> {
  if (keys.length === 0) return [];
  return db.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute();
}

/** A lock to set once a key's count reaches `from` (the highest reached applies). */
export interface ThrottleLock {
  from: number;
  until: string;
}

/**
 * Reserves one attempt on a key in a single statement, before the attempt is evaluated, and
 * returns the new count; null when the key is locked (nothing is counted then). The count and
 * the lock it calls for are written together, so of any number of concurrent attempts only
 * those the policy allows get a count back: check-then-record would let a burst through.
 * The count starts over at 1 when the row is older than `resetBefore`: measured from the
 * window's start ('window': at most N per window) or from the last attempt ('last':
 * forgotten after a quiet period).
 */
export async function reserveOnKey(
  db: Executor,
  key: string,
  input: {
    now: string;
    resetBefore: string;
    since: 'window' | 'last';
    locks: readonly ThrottleLock[];
  },
): Promise<number | null> {
  const { now, resetBefore } = input;
  const stale =
    input.since === 'window'
      ? sql<boolean>`login_throttle.window_start < ${resetBefore}`
      : sql<boolean>`login_throttle.updated_at < ${resetBefore}`;
  const count = sql<number>`(case when ${stale} then 1 else login_throttle.failures + 1 end)`;
  const highestFirst = [...input.locks].sort((a, b) => b.from - a.from);
  // The else branch keeps the old value (null or an expired lock, which means nothing); it
  // also gives PostgreSQL the column's type for the CASE.
  const lock =
    highestFirst.length === 0
      ? sql<string | null>`login_throttle.locked_until`
      : sql<string | null>`case ${sql.join(
          highestFirst.map((l) => sql`when ${count} >= ${l.from} then ${l.until}`),
          sql` `,
        )} else login_throttle.locked_until end`;
  const first = highestFirst.find((l) => l.from <= 1)?.until ?? null;
  const row = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, window_start: now, locked_until: first, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({
          failures: count,
          window_start: sql<string>`case when ${stale} then ${now} else login_throttle.window_start end`,
          locked_until: lock,
          updated_at: now,
        })
        .where(
          sql<boolean>`(login_throttle.locked_until is null or login_throttle.locked_until <= ${now})`,
        ),
    )
    .returning('failures')
    .executeTakeFirst();
  return row ? Number(row.failures) : null;
}

/**
 * Gives back one reserved attempt that was not a failure (a success, or one refused by
 * another key's lock), and lifts the key's lock if the count no longer reaches `lockFrom`.
 */
export async function releaseOnKey(db: Executor, key: string, lockFrom: number): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set({
      failures: sql<number>`login_throttle.failures - 1`,
      locked_until: sql<
        string | null
      >`case when login_throttle.failures - 1 < ${lockFrom} then null else login_throttle.locked_until end`,
    })
    .where('key', '=', key)
    .where('failures', '>', 0)
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
