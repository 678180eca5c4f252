import type { ColumnType, Generated, Selectable } from 'kysely';
import type { JsonColumn } from './json-column.js';

export interface CaseStatementsTable {
  case_id: number;
  key: string;
  language: string;
  text: string;
  updated_by: string;
  updated_at: string;
}

/** What an approver signed: a notice's texts with every case value they use, resolved. */
export interface NoticeApprovalsTable {
  id: Generated<number>;
  notice_id: number;
  version: number;
  /** The hash of the notice's texts at approval (notices.content_hash). */
  content_hash: string;
  /** The hash of the whole snapshot: what the approval pins. */
  snapshot_hash: string;
  snapshot: JsonColumn;
  approved_by: string;
  approved_at: string;
  voided_at: ColumnType<string | null, string | null | undefined, string | null>;
  voided_by: ColumnType<string | null, string | null | undefined, string | null>;
  voided_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface StatementTables {
  case_statements: CaseStatementsTable;
  notice_approvals: NoticeApprovalsTable;
}

export type CaseStatementRow = Selectable<CaseStatementsTable>;
export type NoticeApprovalRow = Selectable<NoticeApprovalsTable>;
