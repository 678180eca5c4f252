import type { Insertable, Updateable } from 'kysely';
import type { Executor } from './executor.js';
import type {
  DisclosureAcceptancesTable,
  EmbargoReleasesTable,
  PublicationEventsTable,
  PublicationsTable,
} from './schema-publication.js';

/** The publication of a case, if any. */
export async function findPublication(db: Executor, caseId: number) {
  return db.selectFrom('publications').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

/** Published (not withdrawn) cases joined with their case row, newest first. */
export async function listPublicationRows(db: Executor) {
  return db
    .selectFrom('publications as p')
    .innerJoin('cases as c', 'c.id', 'p.case_id')
    .selectAll('p')
    .select([
      'c.reference',
      'c.kind',
      'c.state',
      'c.aware_at',
      'c.resolved_at',
      'c.title as case_title',
    ])
    .where('p.withdrawn_at', 'is', null)
    .orderBy('p.first_published_at', 'desc')
    .orderBy('p.case_id', 'desc')
    .execute();
}
export type PublicationJoinRow = Awaited<ReturnType<typeof listPublicationRows>>[number];

/** One published case by its reference (case-insensitive input is upper-cased by the caller). */
export async function findPublicationRowByReference(db: Executor, reference: string) {
  return db
    .selectFrom('publications as p')
    .innerJoin('cases as c', 'c.id', 'p.case_id')
    .selectAll('p')
    .select([
      'c.reference',
      'c.kind',
      'c.state',
      'c.aware_at',
      'c.resolved_at',
      'c.title as case_title',
    ])
    .where('c.reference', '=', reference)
    .where('p.withdrawn_at', 'is', null)
    .executeTakeFirst();
}

export async function insertPublication(db: Executor, row: Insertable<PublicationsTable>) {
  await db.insertInto('publications').values(row).execute();
}

export async function updatePublication(
  db: Executor,
  caseId: number,
  row: Updateable<PublicationsTable>,
) {
  await db.updateTable('publications').set(row).where('case_id', '=', caseId).execute();
}

/** Whether a slug is taken in a year by another case. */
export async function slugTaken(db: Executor, year: number, slug: string, caseId: number) {
  const row = await db
    .selectFrom('publications')
    .select('case_id')
    .where('year', '=', year)
    .where('slug', '=', slug)
    .where('case_id', '!=', caseId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertRevision(
  db: Executor,
  row: { case_id: number; number: number; at: string; summary: string },
) {
  await db.insertInto('publication_revisions').values(row).execute();
}

/** Revisions of some cases, oldest first. */
export async function listRevisions(db: Executor, caseIds: number[]) {
  if (caseIds.length === 0) return [];
  return db
    .selectFrom('publication_revisions')
    .selectAll()
    .where('case_id', 'in', caseIds)
    .orderBy('case_id')
    .orderBy('number')
    .execute();
}

/** Embargo conditions released per case. */
export async function listEmbargoReleases(db: Executor, caseIds: number[]) {
  if (caseIds.length === 0) return [];
  return db
    .selectFrom('embargo_releases')
    .selectAll()
    .where('case_id', 'in', caseIds)
    .orderBy('id')
    .execute();
}

/**
 * Records the release of one condition; false when it was already released (by another
 * process whose transaction committed first: on PostgreSQL this insert waits for it).
 */
export async function insertEmbargoRelease(
  db: Executor,
  row: Insertable<EmbargoReleasesTable>,
): Promise<boolean> {
  const inserted = await db
    .insertInto('embargo_releases')
    .values(row)
    .onConflict((oc) => oc.columns(['case_id', 'condition']).doNothing())
    .returning('condition')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * Bumps the site revision and returns the new value. Taking this row lock first serialises
 * public writers, so outbox ids are assigned in commit order.
 */
export async function bumpSiteRevision(db: Executor, now: string): Promise<number> {
  const row = await db
    .updateTable('public_site')
    .set((eb) => ({ revision: eb('revision', '+', 1), updated_at: now }))
    .where('id', '=', 1)
    .returning('revision')
    .executeTakeFirstOrThrow();
  return Number(row.revision);
}

/** The current site revision (0 before anything was published). */
export async function readSiteRevision(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('public_site')
    .select('revision')
    .where('id', '=', 1)
    .executeTakeFirst();
  return row ? Number(row.revision) : 0;
}

export async function insertPublicationEvent(
  db: Executor,
  row: Insertable<PublicationEventsTable>,
) {
  await db.insertInto('publication_events').values(row).execute();
}

/** Outbox rows after an id, oldest first. */
export async function listPublicationEventRowsAfter(db: Executor, afterId: number, limit: number) {
  return db
    .selectFrom('publication_events as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .selectAll('e')
    .select('c.reference')
    .where('e.id', '>', afterId)
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

/**
 * When each case's first customer notice went out: the start of its first dispatch to the
 * affected audience that was not cancelled before anything was sent. The start, not the first
 * delivery's `sent_at`: it is known the moment notifying begins (a public page rendered then
 * is right at once), and the first mail leaves within seconds of it.
 */
export async function firstCustomerNoticeTimes(db: Executor, caseIds: number[]) {
  if (caseIds.length === 0) return new Map<number, string>();
  const rows = await db
    .selectFrom('dispatches as d')
    .innerJoin('notices as n', 'n.id', 'd.notice_id')
    .select(['d.case_id'])
    .select((eb) => eb.fn.min('d.created_at').as('first'))
    .where('d.case_id', 'in', caseIds)
    .where('n.audience', '=', 'affected')
    .where((eb) =>
      eb.or([
        eb('d.state', '<>', 'cancelled'),
        eb.exists(
          eb
            .selectFrom('deliveries as v')
            .select('v.id')
            .whereRef('v.dispatch_id', '=', 'd.id')
            .where('v.sent_at', 'is not', null),
        ),
      ]),
    )
    .groupBy('d.case_id')
    .execute();
  return new Map(
    rows.filter((r) => r.first).map((r) => [Number(r.case_id), String(r.first)] as const),
  );
}

/**
 * The newest dispatch's id: public caches watch it beside the site revision, because a
 * dispatch that starts changes a published case's transparency figure without being a public
 * change itself (no revision, no subscriber mail). A primary-key lookup, cheap every second.
 */
export async function newestDispatchId(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('dispatches')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return row?.id ? Number(row.id) : 0;
}

/** Accepted disclosure findings of a notice. */
export async function listAcceptances(db: Executor, noticeId: number) {
  return db
    .selectFrom('disclosure_acceptances')
    .selectAll()
    .where('notice_id', '=', noticeId)
    .orderBy('id')
    .execute();
}

export async function insertAcceptance(db: Executor, row: Insertable<DisclosureAcceptancesTable>) {
  await db
    .insertInto('disclosure_acceptances')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['notice_id', 'fingerprint']).doUpdateSet({
        reason: row.reason,
        accepted_by: row.accepted_by,
        accepted_at: row.accepted_at,
      }),
    )
    .execute();
}
