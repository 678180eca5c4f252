import type { z } from 'zod';
import type { Executor } from './executor.js';
import { readJson } from './executor.js';

/** A stored setting, or undefined. */
export async function findSetting<S extends z.ZodType>(
  db: Executor,
  key: string,
  schema: S,
): Promise<z.output<S> | undefined> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? readJson(row.value, schema) : undefined;
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
