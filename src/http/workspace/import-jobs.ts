import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Actor } from '../../domain/access.js';
import {
  importCustomers,
  type ImportDeps,
  importSummarySchema,
  type ImportSummary,
} from '../../services/customers/customer-import.service.js';
import type { ImportState } from '../../domain/customer-import.js';
import type { Database } from '../../store/database.js';
import { readJson } from '../../store/executor.js';
import * as repo from '../../store/import-job.repository.js';

/** A customer import started from the workspace, as any process sees it. */
export interface ImportJob {
  id: string;
  /** Who started it: only they (and nobody else) see its page and rejects. */
  userId: number | null;
  fileName: string;
  totalBytes: number;
  startedAt: string;
  /** 'interrupted': still 'running' in the table, but its process stopped heart-beating. */
  state: ImportState | 'interrupted';
  rows: number;
  bytes: number;
  summary: ImportSummary | null;
  error: string | null;
  /** Whether the rejected rows can be downloaded. */
  hasRejects: boolean;
}

export interface ImportJobTimings {
  /** How often the running process refreshes the job's heartbeat. */
  heartbeatMs: number;
  /** A running job whose heartbeat is older than this is shown as interrupted. */
  staleMs: number;
  /** Progress is written at most this often (the import reports every batch). */
  progressMs: number;
}

export const DEFAULT_IMPORT_JOB_TIMINGS: ImportJobTimings = {
  heartbeatMs: 5_000,
  staleMs: 30_000,
  progressMs: 500,
};

/**
 * The rejected rows are kept in the job's row so any server can hand them out; beyond this
 * the file is cut at a line end (the summary still counts every reject, and the customer
 * import history keeps the outcome).
 */
const MAX_REJECTS_BYTES = 32 * 1024 * 1024;

/**
 * Upload imports run in the background of the process that received the file, so the
 * browser can show progress instead of one long request. The job and its progress are in the
 * database (`customer_import_jobs`): behind a load balancer the progress page, its polls and
 * the rejects download may reach any server. The running process writes progress and a
 * heartbeat; a job whose process died (SIGKILL, a crash, a deploy) stops heart-beating and is
 * shown as interrupted instead of running for ever. The upload file itself stays local to the
 * process that imports it.
 */
export class ImportJobs {
  constructor(
    private readonly dataDir: string,
    private readonly database: Database,
    private readonly timings: ImportJobTimings = DEFAULT_IMPORT_JOB_TIMINGS,
  ) {}

  /** Where an upload is stored before the import reads it. */
  newUploadPath(): { id: string; file: string } {
    const id = randomBytes(16).toString('hex');
    const dir = path.join(this.dataDir, 'uploads');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return { id, file: path.join(dir, `${id}.upload`) };
  }

  /**
   * Records the job and starts importing a stored upload in the background; the upload and
   * the local rejects file are deleted when the import ends. Resolves once the job is visible
   * to every process; `done` resolves when the import ended and its outcome is recorded.
   */
  async start(
    id: string,
    upload: string,
    fileName: string,
    actor: Actor,
    deps: ImportDeps,
  ): Promise<{ id: string; done: Promise<void> }> {
    const { db } = this.database;
    const now = new Date().toISOString();
    const totalBytes = fs.statSync(upload).size;
    await repo.deleteImportJobsBefore(db, new Date(Date.now() - 86_400_000).toISOString());
    await repo.insertImportJob(db, {
      id,
      user_id: actor.userId,
      file_name: fileName,
      total_bytes: totalBytes,
      started_at: now,
      state: 'running',
      heartbeat_at: now,
    });
    const done = this.run(id, upload, fileName, totalBytes, actor, deps);
    return { id, done };
  }

  /** The job, if it exists and belongs to this user. */
  async get(id: string, userId: number): Promise<ImportJob | undefined> {
    const row = await repo.findImportJob(this.database.db, id);
    if (!row || row.user_id !== userId) return undefined;
    const stale = Date.parse(row.heartbeat_at) < Date.now() - this.timings.staleMs;
    const state = row.state;
    return {
      id: row.id,
      userId: row.user_id,
      fileName: row.file_name,
      totalBytes: Number(row.total_bytes),
      startedAt: row.started_at,
      state: state === 'running' && stale ? 'interrupted' : state,
      rows: Number(row.rows),
      bytes: Number(row.bytes),
      summary: row.summary === null ? null : readJson(row.summary, importSummarySchema),
      error: row.error,
      hasRejects: row.has_rejects,
    };
  }

  /** The rejected rows of the user's job, when there are any. */
  async rejects(id: string, userId: number): Promise<string | undefined> {
    const row = await repo.findImportRejects(this.database.db, id);
    if (!row || row.user_id !== userId || row.rejects === null) return undefined;
    return row.rejects;
  }

  private async run(
    id: string,
    upload: string,
    fileName: string,
    totalBytes: number,
    actor: Actor,
    deps: ImportDeps,
  ): Promise<void> {
    const { db } = this.database;
    const rejectsFile = path.join(path.dirname(upload), `${id}.rejects`);
    let progress = { rows: 0, bytes: 0 };
    let writing: Promise<void> = Promise.resolve();
    let writtenAt = 0;
    // Progress comes every batch; one write at a time, at most every progressMs. A failed
    // write (the database briefly away) only costs a stale bar: the next one catches up.
    const write = (force: boolean) => {
      const now = Date.now();
      if (!force && now - writtenAt < this.timings.progressMs) return;
      writtenAt = now;
      const { rows, bytes } = progress;
      writing = writing
        .then(() =>
          repo.updateImportProgress(db, id, { rows, bytes, now: new Date().toISOString() }),
        )
        .catch(() => undefined);
    };
    const heartbeat = setInterval(() => write(true), this.timings.heartbeatMs);
    heartbeat.unref();
    let outcome: Parameters<typeof repo.finishImportJob>[2];
    try {
      const summary = await importCustomers(
        actor,
        fs.createReadStream(upload),
        {
          source: fileName,
          rejects: fs.createWriteStream(rejectsFile, { mode: 0o600 }),
          onProgress: (p) => {
            progress = p;
            write(false);
          },
        },
        deps,
      );
      outcome = {
        state: 'completed',
        rows: summary.total,
        bytes: totalBytes,
        summary: JSON.stringify(summary),
        error: null,
        rejects: summary.rejected > 0 ? readRejects(rejectsFile) : null,
        now: '',
      };
    } catch (error) {
      outcome = {
        state: 'failed',
        ...progress,
        summary: null,
        error: error instanceof Error ? error.message : String(error),
        rejects: null,
        now: '',
      };
    } finally {
      clearInterval(heartbeat);
      fs.rm(upload, { force: true }, () => undefined);
      fs.rm(rejectsFile, { force: true }, () => undefined);
    }
    await writing;
    // The outcome must land even if the database is briefly away (a restart, a failover);
    // if it never does, the stopped heartbeat shows the job as interrupted, which is honest.
    for (let attempt = 1; attempt <= 10; attempt++) {
      try {
        await repo.finishImportJob(db, id, { ...outcome, now: new Date().toISOString() });
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, attempt * 200));
      }
    }
  }
}

/** The rejects file as text, cut at a line end beyond MAX_REJECTS_BYTES. */
function readRejects(file: string): string | null {
  if (!fs.existsSync(file)) return null;
  const size = fs.statSync(file).size;
  if (size <= MAX_REJECTS_BYTES) return fs.readFileSync(file, 'utf8');
  const buffer = Buffer.alloc(MAX_REJECTS_BYTES);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, buffer, 0, MAX_REJECTS_BYTES, 0);
  } finally {
    fs.closeSync(fd);
  }
  return buffer.subarray(0, buffer.lastIndexOf(0x0a) + 1).toString('utf8');
}
