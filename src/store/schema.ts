import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** JSON columns are TEXT on SQLite and JSONB on PostgreSQL: written as a string, read as either. */
export type JsonColumn = ColumnType<string | Record<string, unknown>, string, string>;

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  /** JSON array of role names. */
  roles: JsonColumn;
  password_hash: string;
  language: string;
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
  status: string;
  started_at: string;
  finished_at: string | null;
  total: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  duplicates: Generated<number>;
  rejected: Generated<number>;
  error: string | null;
}

export interface DB {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
  customers: CustomersTable;
  customer_imports: CustomerImportsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type CustomerRow = Selectable<CustomersTable>;
export type CustomerImportRow = Selectable<CustomerImportsTable>;
