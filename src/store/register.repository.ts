import type { Executor } from './executor.js';
import type { CaseRow } from './schema.js';
import type { CaseKind } from '../domain/case.js';
import type { ReportKind } from '../domain/reports/report-content.js';

/** Every case for the breach register, oldest first; optionally of one kind. */
export async function listRegisterCases(db: Executor, kind?: CaseKind): Promise<CaseRow[]> {
  let q = db.selectFrom('cases').selectAll();
  if (kind !== undefined) q = q.where('kind', '=', kind);
  return q.orderBy('id').execute();
}

/** The content of the latest version of each case's report of a kind. */
export async function listLatestReportContents(
  db: Executor,
  caseIds: readonly number[],
  kind: ReportKind,
): Promise<Map<number, unknown>> {
  const out = new Map<number, unknown>();
  if (caseIds.length === 0) return out;
  const rows = await db
    .selectFrom('report_versions')
    .innerJoin('reports', 'reports.id', 'report_versions.report_id')
    .select(['reports.case_id', 'report_versions.version', 'report_versions.content'])
    .where('reports.case_id', 'in', [...caseIds])
    .where('reports.kind', '=', kind)
    .orderBy('report_versions.version')
    .execute();
  // Later versions overwrite earlier ones: the map ends with the latest per case.
  for (const r of rows) out.set(r.case_id, r.content);
  return out;
}
