import type { Insertable } from 'kysely';
import type { Executor } from './executor.js';
import type {
  AssessmentFactsRow,
  AssessmentFactsTable,
  AssessmentOverrideRow,
  AssessmentOverridesTable,
} from './schema-assessment.js';

/** The facts version in force for a case (the highest), if any. */
export async function findLatestFacts(
  db: Executor,
  caseId: number,
): Promise<AssessmentFactsRow | undefined> {
  return db
    .selectFrom('assessment_facts')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The latest facts of several cases at once (dashboard, register, alert loop). */
export async function listLatestFactsOfCases(
  db: Executor,
  caseIds: readonly number[],
): Promise<AssessmentFactsRow[]> {
  if (caseIds.length === 0) return [];
  return db
    .selectFrom('assessment_facts as f')
    .selectAll('f')
    .where('f.case_id', 'in', [...caseIds])
    .where((eb) =>
      eb(
        'f.version',
        '=',
        eb
          .selectFrom('assessment_facts as g')
          .select((g) => g.fn.max('g.version').as('v'))
          .whereRef('g.case_id', '=', 'f.case_id'),
      ),
    )
    .execute();
}

/** Every facts version of a case, oldest first. */
export async function listFactsVersions(
  db: Executor,
  caseId: number,
): Promise<AssessmentFactsRow[]> {
  return db
    .selectFrom('assessment_facts')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('version', 'asc')
    .execute();
}

/** Stores a facts version; the (case, version) constraint rejects a concurrent duplicate. */
export async function insertFacts(
  db: Executor,
  row: Insertable<AssessmentFactsTable>,
): Promise<number> {
  const { id } = await db
    .insertInto('assessment_facts')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Stores an override. */
export async function insertOverride(
  db: Executor,
  row: Insertable<AssessmentOverridesTable>,
): Promise<number> {
  const { id } = await db
    .insertInto('assessment_overrides')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The overrides of some cases, oldest first. */
export async function listOverridesOfCases(
  db: Executor,
  caseIds: readonly number[],
): Promise<AssessmentOverrideRow[]> {
  if (caseIds.length === 0) return [];
  return db
    .selectFrom('assessment_overrides')
    .selectAll()
    .where('case_id', 'in', [...caseIds])
    .orderBy('id', 'asc')
    .execute();
}
