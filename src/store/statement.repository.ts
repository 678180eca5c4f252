import type { Executor } from './executor.js';
import type { CaseStatementRow } from './schema-statements.js';

/** The statements of a case, every key and language. */
export async function listStatements(db: Executor, caseId: number): Promise<CaseStatementRow[]> {
  return db
    .selectFrom('case_statements')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('key')
    .orderBy('language')
    .execute();
}

/** Writes one statement text (insert or replace). */
export async function upsertStatement(db: Executor, row: CaseStatementRow): Promise<void> {
  await db
    .insertInto('case_statements')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['case_id', 'key', 'language']).doUpdateSet({
        text: row.text,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** Removes one statement text. */
export async function deleteStatement(
  db: Executor,
  caseId: number,
  key: string,
  language: string,
): Promise<void> {
  await db
    .deleteFrom('case_statements')
    .where('case_id', '=', caseId)
    .where('key', '=', key)
    .where('language', '=', language)
    .execute();
}

/** The records behind the claim facts of one case (milestones are on the case row itself). */
export async function findFactRecords(
  db: Executor,
  caseId: number,
): Promise<{ reportSubmitted: boolean; customersNotified: boolean; passwordsReset: boolean }> {
  const report = await db
    .selectFrom('report_versions as v')
    .innerJoin('reports as r', 'r.id', 'v.report_id')
    .select('v.id')
    .where('r.case_id', '=', caseId)
    .where('v.submitted_at', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  const dispatch = await db
    .selectFrom('dispatches as d')
    .innerJoin('notices as n', 'n.id', 'd.notice_id')
    .select('d.id')
    .where('d.case_id', '=', caseId)
    .where('n.audience', '=', 'affected')
    .where('d.state', 'in', ['running', 'paused', 'completed'])
    .limit(1)
    .executeTakeFirst();
  const reset = await db
    .selectFrom('case_events')
    .select('id')
    .where('case_id', '=', caseId)
    .where('kind', '=', 'passwords_reset')
    .limit(1)
    .executeTakeFirst();
  return {
    reportSubmitted: report !== undefined,
    customersNotified: dispatch !== undefined,
    passwordsReset: reset !== undefined,
  };
}
