import type { Insertable, Updateable } from 'kysely';
import type { ReportKind } from '../domain/reports/report-content.js';
import type { Executor } from './executor.js';
import type {
  ReportRow,
  ReportVersionRow,
  ReportVersionsTable,
  ReportsTable,
} from './schema-reports.js';

/** Inserts a report and returns its id. */
export async function insertReport(db: Executor, row: Insertable<ReportsTable>): Promise<number> {
  const { id } = await db
    .insertInto('reports')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** One report by id. */
export async function findReport(db: Executor, id: number): Promise<ReportRow | undefined> {
  return db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The report of a kind for a case, if drafted. */
export async function findReportOfCase(
  db: Executor,
  caseId: number,
  kind: ReportKind,
): Promise<ReportRow | undefined> {
  return db
    .selectFrom('reports')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('kind', '=', kind)
    .executeTakeFirst();
}

/** The reports of a case, oldest first. */
export async function listReportsOfCase(db: Executor, caseId: number): Promise<ReportRow[]> {
  return db.selectFrom('reports').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

/** Marks a report as changed. */
export async function touchReport(db: Executor, id: number, at: string): Promise<void> {
  await db.updateTable('reports').set({ updated_at: at }).where('id', '=', id).execute();
}

/** Inserts a report version and returns its id. */
export async function insertReportVersion(
  db: Executor,
  row: Insertable<ReportVersionsTable>,
): Promise<number> {
  const { id } = await db
    .insertInto('report_versions')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The versions of a report, version 1 first. */
export async function listReportVersions(
  db: Executor,
  reportId: number,
): Promise<ReportVersionRow[]> {
  return db
    .selectFrom('report_versions')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('version')
    .execute();
}

/** One version of a report. */
export async function findReportVersion(
  db: Executor,
  reportId: number,
  version: number,
): Promise<ReportVersionRow | undefined> {
  return db
    .selectFrom('report_versions')
    .selectAll()
    .where('report_id', '=', reportId)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** Updates a version's content, approval or submission. */
export async function updateReportVersion(
  db: Executor,
  id: number,
  row: Updateable<ReportVersionsTable>,
): Promise<void> {
  await db.updateTable('report_versions').set(row).where('id', '=', id).execute();
}

/** Every submitted version of the given cases' reports: for clocks and the register. */
export async function listSubmissionsOfCases(
  db: Executor,
  caseIds: readonly number[],
): Promise<
  {
    case_id: number;
    kind: ReportKind;
    version: number;
    submitted_at: string;
    authority_reference: string | null;
    delay_reason: string | null;
  }[]
> {
  if (caseIds.length === 0) return [];
  const rows = await db
    .selectFrom('report_versions')
    .innerJoin('reports', 'reports.id', 'report_versions.report_id')
    .select([
      'reports.case_id',
      'reports.kind',
      'report_versions.version',
      'report_versions.submitted_at',
      'report_versions.authority_reference',
      'report_versions.delay_reason',
    ])
    .where('reports.case_id', 'in', [...caseIds])
    .where('report_versions.submitted_at', 'is not', null)
    .orderBy('reports.case_id')
    .orderBy('report_versions.submitted_at')
    .execute();
  return rows.map((r) => ({ ...r, submitted_at: r.submitted_at! }));
}

/** The first personal notice that reached affected people: when, and how many received one. */
export async function findSubjectsNotified(
  db: Executor,
  caseId: number,
): Promise<{ firstSentAt: string; recipients: number } | null> {
  const row = await db
    .selectFrom('deliveries')
    .innerJoin('dispatches', 'dispatches.id', 'deliveries.dispatch_id')
    .innerJoin('notices', 'notices.id', 'dispatches.notice_id')
    .select((eb) => [
      eb.fn.min<string>('deliveries.sent_at').as('first'),
      eb.fn.count<number>('deliveries.recipient_id').distinct().as('recipients'),
    ])
    .where('dispatches.case_id', '=', caseId)
    .where('notices.audience', '=', 'affected')
    // A mail a server accepted, or a letter handed to the post.
    .where('deliveries.state', 'in', ['sent', 'posted'])
    .executeTakeFirst();
  if (!row?.first) return null;
  return { firstSentAt: row.first, recipients: Number(row.recipients) };
}
