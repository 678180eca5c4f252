import type { Executor } from './executor.js';
import { readJson } from './executor.js';

/** A stored setting, or undefined. */
export async function findSetting<T>(db: Executor, key: string): Promise<T | undefined> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? readJson<T>(row.value) : undefined;
}

/** Stores a setting. */
export async function upsertSetting(
  db: Executor,
  key: string,
  value: unknown,
  by: string,
  now: string,
): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value), updated_by: by, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ value: JSON.stringify(value), updated_by: by, updated_at: now }),
    )
    .execute();
}
