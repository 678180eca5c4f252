import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { WorkspaceTables } from './schema-workspace.js';
import type { PublicationTables } from './schema-publication.js';
import type { CsafTables } from './schema-csaf.js';
import type { AssessmentTables } from './schema-assessment.js';
import type { ReportTables } from './schema-reports.js';
import type { StatementTables } from './schema-statements.js';
import type { LetterTables } from './schema-letters.js';
import type { PostureTables } from './schema-posture.js';
import type { RemedyTables } from './schema-remedies.js';
import type { ReminderTables } from './schema-reminders.js';
import type { MultiProcessTables } from './schema-multi-process.js';
import type { QuestionTables } from './schema-questions.js';

import type { CaseKind, CaseState, EventKind } from '../domain/case.js';
import type { ImportState } from '../domain/customer-import.js';
import type { DeliveryState, DispatchState } from '../domain/delivery.js';
import type { JsonColumn } from './json-column.js';

export type { JsonColumn };

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  /** JSON array of role names. */
  roles: JsonColumn;
  password_hash: string;
  language: string;
  /** For the workspace's own mail (legal-clock alerts); optional. */
  email: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  label: string;
  /** SHA-256 of the token; the token itself is shown once and never stored. */
  token_hash: string;
  token_prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  /** Null: everything the user's roles allow; 'portal': only the customer-portal read. */
  scope: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AuditEventsTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  object_type: string;
  object_id: string | null;
  source: string;
  details: JsonColumn;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** Anchors of the audit chain published on the security page. */
export interface AuditAnchorsTable {
  id: Generated<number>;
  seq: number;
  hash: string;
  anchored_at: string;
  published_by: string;
}

export interface CustomersTable {
  id: Generated<number>;
  external_id: string;
  email: string | null;
  name: string | null;
  language: string;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  attributes: JsonColumn;
  created_at: string;
  updated_at: string;
  /** The import run and file line that last wrote this row: provenance, and in-file duplicate detection. */
  import_id: number | null;
  import_line: number | null;
}

export interface CustomerImportsTable {
  id: Generated<number>;
  actor: string;
  source: string;
  format: string;
  encoding: string;
  delimiter: string | null;
  dry_run: number;
  status: ImportState;
  started_at: string;
  finished_at: string | null;
  total: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  duplicates: Generated<number>;
  rejected: Generated<number>;
  error: string | null;
}

export interface CasesTable {
  id: Generated<number>;
  reference: string;
  kind: CaseKind;
  title: string;
  summary: string;
  state: CaseState;
  affected_filter: string | null;
  detected_at: string | null;
  aware_at: string | null;
  contained_at: string | null;
  resolved_at: string | null;
  frozen_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface CaseEventsTable {
  id: Generated<number>;
  case_id: number;
  kind: EventKind;
  at: string;
  text: string;
  actor: string;
  recorded_at: string;
}

export interface CaseAffectedTable {
  case_id: number;
  customer_id: number;
  impact: JsonColumn;
  line: number | null;
}

export interface CaseRecipientsTable {
  id: Generated<number>;
  case_id: number;
  customer_id: number;
  external_id: string;
  email: string | null;
  name: string | null;
  language: string;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  attributes: JsonColumn;
  impact: JsonColumn;
  token_hash: string | null;
  token_revoked_at: string | null;
  acknowledged_at: string | null;
  remedied_at: string | null;
}

export interface NoticesTable {
  id: Generated<number>;
  case_id: number;
  audience: string;
  title: string;
  default_language: string;
  version: number;
  content_hash: string;
  /** JSON array of usernames who wrote any version: none of them may approve it. */
  editors: JsonColumn;
  approved_by: string | null;
  approved_at: string | null;
  approved_hash: string | null;
  /** The approval (snapshot) in force; null while none is. */
  approval_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface NoticeTextsTable {
  notice_id: number;
  language: string;
  subject: string;
  body: string;
}

export interface DispatchesTable {
  id: Generated<number>;
  notice_id: number;
  case_id: number;
  state: DispatchState;
  content_hash: string;
  /** The approval whose snapshot this dispatch sends; null for dispatches before snapshots. */
  approval_id: ColumnType<number | null, number | null | undefined, number | null>;
  total: number;
  created_by: string;
  created_at: string;
  finished_at: string | null;
  /** A dispatch to chosen recipients only (a reminder run): what chose them; null: the whole set. */
  selection: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface DeliveriesTable {
  id: Generated<number>;
  dispatch_id: number;
  recipient_id: number;
  email: string;
  state: DeliveryState;
  attempts: Generated<number>;
  next_attempt_at: string;
  claimed_by: string | null;
  claimed_at: string | null;
  message_id: string;
  smtp_response: string | null;
  sent_at: string | null;
  updated_at: string;
  /** `email`, or `letter` for a printed letter (states printed → posted). */
  channel: ColumnType<string, string | undefined, string>;
}

export interface DispatchWorkersTable {
  id: string;
  host: string;
  pid: number;
  started_at: string;
  heartbeat_at: string;
}

export interface SettingsTable {
  key: string;
  value: JsonColumn;
  updated_by: string;
  updated_at: string;
}

/** Every table; each later part of the product keeps its tables in a schema-*.ts of its own. */
export interface DB
  extends
    WorkspaceTables,
    PublicationTables,
    CsafTables,
    AssessmentTables,
    ReportTables,
    StatementTables,
    LetterTables,
    PostureTables,
    RemedyTables,
    ReminderTables,
    MultiProcessTables,
    QuestionTables {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
  audit_anchors: AuditAnchorsTable;
  customers: CustomersTable;
  customer_imports: CustomerImportsTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  case_affected: CaseAffectedTable;
  case_recipients: CaseRecipientsTable;
  notices: NoticesTable;
  notice_texts: NoticeTextsTable;
  dispatches: DispatchesTable;
  deliveries: DeliveriesTable;
  dispatch_workers: DispatchWorkersTable;
  settings: SettingsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type CustomerRow = Selectable<CustomersTable>;
export type CustomerImportRow = Selectable<CustomerImportsTable>;
export type CaseRow = Selectable<CasesTable>;
export type CaseEventRow = Selectable<CaseEventsTable>;
export type CaseRecipientRow = Selectable<CaseRecipientsTable>;
export type NoticeRow = Selectable<NoticesTable>;
export type NoticeTextRow = Selectable<NoticeTextsTable>;
export type DispatchRow = Selectable<DispatchesTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
