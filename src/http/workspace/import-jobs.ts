import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Actor } from '../../domain/access.js';
import {
  importCustomers,
  type ImportDeps,
  type ImportSummary,
} from '../../services/customer-import.service.js';

/** A customer import started from the workspace, running in this process. */
export interface ImportJob {
  id: string;
  /** Who started it: only they (and nobody else) see its page and rejects. */
  userId: number | null;
  fileName: string;
  totalBytes: number;
  startedAt: string;
  state: 'running' | 'completed' | 'failed';
  rows: number;
  bytes: number;
  summary: ImportSummary | null;
  error: string | null;
  /** The rejected rows as CSV/JSONL (same format as the upload), when any were rejected. */
  rejectsFile: string;
}

/**
 * Upload imports run in the background of the process that received the file, so the
 * browser can show progress instead of one long request. The job table is in memory: a
 * page is only ever asked for by the browser that started the import, right after. The
 * outcome itself is durable (customer_imports and the audit log).
 */
export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();

  constructor(private readonly dataDir: string) {}

  /** Where an upload is stored before the import reads it. */
  newUploadPath(): { id: string; file: string } {
    const id = randomBytes(16).toString('hex');
    const dir = path.join(this.dataDir, 'uploads');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return { id, file: path.join(dir, `${id}.upload`) };
  }

  /** Starts importing a stored upload; the upload is deleted when the import ends. */
  start(id: string, upload: string, fileName: string, actor: Actor, deps: ImportDeps): ImportJob {
    const job: ImportJob = {
      id,
      userId: actor.userId,
      fileName,
      totalBytes: fs.statSync(upload).size,
      startedAt: new Date().toISOString(),
      state: 'running',
      rows: 0,
      bytes: 0,
      summary: null,
      error: null,
      rejectsFile: path.join(path.dirname(upload), `${id}.rejects`),
    };
    this.jobs.set(id, job);
    this.prune();
    void importCustomers(
      actor,
      fs.createReadStream(upload),
      {
        source: fileName,
        rejects: fs.createWriteStream(job.rejectsFile, { mode: 0o600 }),
        onProgress: (p) => {
          job.rows = p.rows;
          job.bytes = p.bytes;
        },
      },
      deps,
    )
      .then((summary) => {
        job.summary = summary;
        job.rows = summary.total;
        job.bytes = job.totalBytes;
        job.state = 'completed';
      })
      .catch((error: unknown) => {
        job.error = error instanceof Error ? error.message : String(error);
        job.state = 'failed';
      })
      .finally(() => fs.rm(upload, { force: true }, () => undefined));
    return job;
  }

  /** The job, if it exists and belongs to this user. */
  get(id: string, userId: number): ImportJob | undefined {
    const job = this.jobs.get(id);
    return job && job.userId === userId ? job : undefined;
  }

  /** Forgets finished jobs older than a day, with their rejects files. */
  private prune(): void {
    const cutoff = Date.now() - 86_400_000;
    for (const [id, job] of this.jobs) {
      if (job.state !== 'running' && Date.parse(job.startedAt) < cutoff) {
        fs.rm(job.rejectsFile, { force: true }, () => undefined);
        this.jobs.delete(id);
      }
    }
  }
}
