import type { Insertable } from 'kysely';
import type { Executor } from './executor.js';
import type { CustomerImportJobRow, CustomerImportJobsTable } from './schema-multi-process.js';

/** A job's columns without the rejected rows (which can be megabytes): what a poll reads. */
export type ImportJobHead = Omit<CustomerImportJobRow, 'rejects'> & { has_rejects: boolean };

export async function insertImportJob(
  db: Executor,
  row: Insertable<CustomerImportJobsTable>,
): Promise<void> {
  await db.insertInto('customer_import_jobs').values(row).execute();
}

/** Progress of a running job (a finished one is left alone: a late write must not undo it). */
export async function updateImportProgress(
  db: Executor,
  id: string,
  progress: { rows: number; bytes: number; now: string },
): Promise<void> {
  await db
    .updateTable('customer_import_jobs')
    .set({ rows: progress.rows, bytes: progress.bytes, heartbeat_at: progress.now })
    .where('id', '=', id)
    .where('state', '=', 'running')
    .execute();
}

/** The running process is alive. */
export async function touchImportJob(db: Executor, id: string, now: string): Promise<void> {
  await db
    .updateTable('customer_import_jobs')
    .set({ heartbeat_at: now })
    .where('id', '=', id)
    .where('state', '=', 'running')
    .execute();
}

/** Records how a job ended. */
export async function finishImportJob(
  db: Executor,
  id: string,
  outcome: {
    state: 'completed' | 'failed';
    rows: number;
    bytes: number;
    summary: string | null;
    error: string | null;
    rejects: string | null;
    now: string;
  },
): Promise<void> {
  await db
    .updateTable('customer_import_jobs')
    .set({
      state: outcome.state,
      rows: outcome.rows,
      bytes: outcome.bytes,
      summary: outcome.summary,
      error: outcome.error,
      rejects: outcome.rejects,
      heartbeat_at: outcome.now,
      finished_at: outcome.now,
    })
    .where('id', '=', id)
    .execute();
}

/** A job without its rejected rows. */
export async function findImportJob(db: Executor, id: string): Promise<ImportJobHead | undefined> {
  const row = await db
    .selectFrom('customer_import_jobs')
    .select([
      'id',
      'user_id',
      'file_name',
      'total_bytes',
      'started_at',
      'state',
      'rows',
      'bytes',
      'summary',
      'error',
      'heartbeat_at',
      'finished_at',
    ])
    .select((eb) => eb('rejects', 'is not', null).as('has_rejects'))
    .where('id', '=', id)
    .executeTakeFirst();
  return row
    ? {
        ...row,
        user_id: row.user_id === null ? null : Number(row.user_id),
        has_rejects: Boolean(row.has_rejects),
      }
    : undefined;
}

/** The rejected rows of a job and its owner. */
export async function findImportRejects(
  db: Executor,
  id: string,
): Promise<{ user_id: number | null; rejects: string | null } | undefined> {
  const row = await db
    .selectFrom('customer_import_jobs')
    .select(['user_id', 'rejects'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { ...row, user_id: row.user_id === null ? null : Number(row.user_id) } : undefined;
}

/** Forgets jobs started before `before` that ended, or whose process stopped long ago. */
export async function deleteImportJobsBefore(db: Executor, before: string): Promise<number> {
  const result = await db
    .deleteFrom('customer_import_jobs')
    .where('started_at', '<', before)
    .where('heartbeat_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
