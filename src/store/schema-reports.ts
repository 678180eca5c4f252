import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ReportKind } from '../domain/reports/report-content.js';
import type { JsonColumn } from './json-column.js';

/** One regulator report of a case: GDPR Art. 33 or one of the three NIS2 Art. 23 reports. */
export interface ReportsTable {
  id: Generated<number>;
  case_id: number;
  kind: ReportKind;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/**
 * A version of a report. Version 1 is the notification; each later version is a phased
 * supplement (GDPR Art. 33(4)) with its own four-eyes approval and submission. Approval
 * holds for the exact content hash it was given for, as with notices.
 */
export interface ReportVersionsTable {
  id: Generated<number>;
  report_id: number;
  version: number;
  content: JsonColumn;
  content_hash: string;
  /** JSON array of usernames who drafted or edited this version: none of them may approve it. */
  editors: JsonColumn;
  approved_by: string | null;
  approved_at: string | null;
  approved_hash: string | null;
  submitted_at: string | null;
  submitted_by: string | null;
  authority_reference: string | null;
  /** Required when submitted after the legal deadline (GDPR Art. 33(1), NIS2 Art. 23). */
  delay_reason: string | null;
  created_by: string;
  created_at: string;
  updated_at: ColumnType<string, string, string>;
}

export interface ReportTables {
  reports: ReportsTable;
  report_versions: ReportVersionsTable;
}

export type ReportRow = Selectable<ReportsTable>;
export type ReportVersionRow = Selectable<ReportVersionsTable>;
