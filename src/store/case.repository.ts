import type { Insertable, Updateable } from 'kysely';
import type { Executor } from './executor.js';
import type { CaseEventRow, CaseEventsTable, CaseRow, CasesTable } from './schema.js';
import type { CaseKind, CaseState } from '../domain/case.js';

/** Inserts a case and returns its id. */
export async function insertCase(db: Executor, row: Insertable<CasesTable>): Promise<number> {
  const { id } = await db.insertInto('cases').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** How many cases of a kind were opened in a year (for the next reference number). */
export async function countCasesWithReferencePrefix(db: Executor, prefix: string): Promise<number> {
  const { n } = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('reference', 'like', `${prefix}%`)
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** One case by id. */
export async function findCaseById(db: Executor, id: number): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One case by its reference (INC-2026-0001). */
export async function findCaseByReference(
  db: Executor,
  reference: string,
): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('reference', '=', reference).executeTakeFirst();
}

/** Cases, newest first, optionally of some states or kind. */
export async function listCases(
  db: Executor,
  filter: { states?: CaseState[]; kind?: CaseKind; limit: number },
): Promise<CaseRow[]> {
  let q = db.selectFrom('cases').selectAll();
  if (filter.states?.length) q = q.where('state', 'in', filter.states);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  return q.orderBy('id', 'desc').limit(filter.limit).execute();
}

/** Updates a case. */
export async function updateCase(
  db: Executor,
  id: number,
  row: Updateable<CasesTable>,
): Promise<void> {
  await db.updateTable('cases').set(row).where('id', '=', id).execute();
}

/** Appends a timeline event and returns its id. */
export async function insertCaseEvent(
  db: Executor,
  row: Insertable<CaseEventsTable>,
): Promise<number> {
  const { id } = await db
    .insertInto('case_events')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The timeline of a case in the order things happened. */
export async function listCaseEvents(db: Executor, caseId: number): Promise<CaseEventRow[]> {
  return db
    .selectFrom('case_events')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}
