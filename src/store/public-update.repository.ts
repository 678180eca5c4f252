import type { Insertable } from 'kysely';
import type { Executor } from './executor.js';
import type { PublicUpdatesTable } from './schema-publication.js';

/** Appends a public update and returns its id. */
export async function insertPublicUpdate(
  db: Executor,
  row: Insertable<PublicUpdatesTable>,
): Promise<number> {
  const { id } = await db
    .insertInto('public_updates')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

/** Public updates of some cases, oldest first. */
export async function listPublicUpdates(db: Executor, caseIds: number[]) {
  if (caseIds.length === 0) return [];
  return db
    .selectFrom('public_updates')
    .selectAll()
    .where('case_id', 'in', caseIds)
    .orderBy('at')
    .orderBy('id')
    .execute();
}
