// Tables for state every `candor serve` process must share (see docs/operations.md).
import type { ColumnType, Selectable } from 'kysely';
import type { ImportState } from '../domain/customer-import.js';

/** A customer import started from the workspace; written by the process that runs it. */
export interface CustomerImportJobsTable {
  /** Random hex id, also the name of the stored upload. */
  id: string;
  user_id: number | null;
  file_name: string;
  total_bytes: number;
  started_at: string;
  /** A running job whose heartbeat stopped is interrupted (shown so; the row stays running). */
  state: ImportState;
  rows: ColumnType<number, number | undefined, number>;
  bytes: ColumnType<number, number | undefined, number>;
  /** The ImportSummary as JSON, once completed. */
  summary: ColumnType<
    string | Record<string, unknown> | null,
    string | null | undefined,
    string | null
  >;
  error: string | null;
  /** The rejected rows (in the upload's format), so any process can offer the download. */
  rejects: string | null;
  /** Refreshed by the running process every few seconds. */
  heartbeat_at: string;
  finished_at: string | null;
}

/** Misses (wrong tokens, codes) per limiter scope and client address bucket, in a window. */
export interface MissCountsTable {
  scope: string;
  client: string;
  /** Start of the window (the client's first miss in it), epoch milliseconds. */
  window_start: number;
  misses: number;
}

/** Who runs the current round of a scheduled job (src/jobs/job-runner.ts), and until when. */
export interface JobLeasesTable {
  name: string;
  /** The process (host:pid:random) holding the round. */
  holder: string;
  /** Epoch milliseconds; after it, any process may take the next round. */
  lease_until: number;
}

export interface MultiProcessTables {
  customer_import_jobs: CustomerImportJobsTable;
  miss_counts: MissCountsTable;
  job_leases: JobLeasesTable;
}

export type CustomerImportJobRow = Selectable<CustomerImportJobsTable>;
