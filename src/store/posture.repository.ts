import type { Insertable, Updateable } from 'kysely';
import type { Executor } from './executor.js';
import type { PostureVersionsTable } from './schema-posture.js';

/** The open (draft or approved, not yet published) version, if any. */
export async function findOpenPostureVersion(db: Executor) {
  return db
    .selectFrom('posture_versions')
    .selectAll()
    .where('state', '<>', 'published')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** Published versions, newest first. */
export async function listPublishedPostureVersions(db: Executor) {
  return db
    .selectFrom('posture_versions')
    .selectAll()
    .where('state', '=', 'published')
    .orderBy('number', 'desc')
    .execute();
}

/** The highest version number given so far (0 when none). */
export async function maxPostureNumber(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('posture_versions')
    .select((eb) => eb.fn.max('number').as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertPostureVersion(
  db: Executor,
  row: Insertable<PostureVersionsTable>,
): Promise<number> {
  const inserted = await db
    .insertInto('posture_versions')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export async function updatePostureVersion(
  db: Executor,
  id: number,
  values: Updateable<PostureVersionsTable>,
): Promise<void> {
  await db.updateTable('posture_versions').set(values).where('id', '=', id).execute();
}

/**
 * What the commitments are measured against: every case with an awareness time, whether it
 * is public, and whether it affects customers: an uploaded affected list, a filter over the
 * registry (which has no rows until the list is frozen), or frozen recipients. The first customer notice comes from
 * publication.repository's `firstCustomerNoticeTimes` (the same figure the case pages show).
 */
export async function listCaseTimelineRows(db: Executor) {
  return db
    .selectFrom('cases as c')
    .leftJoin('publications as p', (j) =>
      j.onRef('p.case_id', '=', 'c.id').on('p.withdrawn_at', 'is', null),
    )
    .select([
      'c.id',
      'c.reference',
      'c.kind',
      'c.aware_at',
      'c.affected_filter',
      'p.first_published_at',
      'p.year',
      'p.slug',
    ])
    .select((eb) =>
      eb
        .selectFrom('case_affected as a')
        .select((e) => e.fn.countAll().as('n'))
        .whereRef('a.case_id', '=', 'c.id')
        .as('affected'),
    )
    .select((eb) =>
      eb
        .selectFrom('case_recipients as r')
        .select((e) => e.fn.countAll().as('n'))
        .whereRef('r.case_id', '=', 'c.id')
        .as('recipients'),
    )
    .where('c.aware_at', 'is not', null)
    .orderBy('c.aware_at')
    .execute();
}
