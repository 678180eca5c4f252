import { sql } from 'kysely';
import type { Executor } from './executor.js';

/**
 * Counts one miss of a client in one statement (an atomic upsert on both engines, so
 * concurrent misses on several servers all count) and returns the count and the start of
 * the window it is in. A window starts at the client's first miss; a miss after the window
 * ended starts a new one at 1.
 */
export async function countMiss(
  db: Executor,
  key: { scope: string; client: string },
  input: { now: number; windowMs: number },
): Promise<{ misses: number; windowStart: number }> {
  const { now } = input;
  const ended = sql<boolean>`miss_counts.window_start <= ${now - input.windowMs}`;
  const row = await db
    .insertInto('miss_counts')
    .values({ scope: key.scope, client: key.client, window_start: now, misses: 1 })
    .onConflict((oc) =>
      oc.columns(['scope', 'client']).doUpdateSet({
        misses: sql<number>`case when ${ended} then 1 else miss_counts.misses + 1 end`,
        window_start: sql<number>`case when ${ended} then ${now} else miss_counts.window_start end`,
      }),
    )
    .returning(['misses', 'window_start'])
    .executeTakeFirstOrThrow();
  return { misses: Number(row.misses), windowStart: Number(row.window_start) };
}

/** Forgets a scope's windows that started before `before` (epoch ms); resolves with how many. */
export async function deleteMissWindowsBefore(
  db: Executor,
  scope: string,
  before: number,
): Promise<number> {
  const result = await db
    .deleteFrom('miss_counts')
    .where('scope', '=', scope)
    .where('window_start', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The misses counted for a client in its current window (0 when none or ended). */
export async function missesOf(
  db: Executor,
  key: { scope: string; client: string },
  since: number,
): Promise<number> {
  const row = await db
    .selectFrom('miss_counts')
    .select('misses')
    .where('scope', '=', key.scope)
    .where('client', '=', key.client)
    .where('window_start', '>', since)
    .executeTakeFirst();
  return row ? Number(row.misses) : 0;
}
