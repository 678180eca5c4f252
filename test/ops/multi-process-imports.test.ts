import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { customersToCsv } from '../../src/demo/customer-generator.js';
import { buildApp } from '../../src/http/app.js';
import { ImportJobs } from '../../src/http/workspace/import-jobs.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { insertImportJob } from '../../src/store/import-job.repository.js';
import { contextOn } from '../../src/wiring.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, PASSWORD, type WorkspaceHarness } from '../workspace/workspace-support.js';

function multipart(fileName: string, content: string) {
  const boundary = '----candor-multi-process';
  const payload =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
    `Content-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Workspace customer imports behind a load balancer: the upload reaches one server, the
 * progress polls and the rejects download another. Each "server" is an app with its own
 * connection pool (on SQLite its own connection to the file) and its own data dir.
 */
describe.each(DIALECTS)('customer-import progress seen by every server on %s', (dialect) => {
  let h: WorkspaceHarness;
  let secondDb: Database;
  let second: FastifyInstance;
  let sanne: string;
  let sanneId: number;
  beforeAll(async () => {
    h = await createHarness(dialect, { requireTotpForAdmins: false });
    sanneId = await h.addUser('sanne', ['responder']);
    await h.addUser('vera', ['viewer']);
    secondDb = openDatabase(h.databaseConfig);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-second-'));
    second = await buildApp(contextOn({ ...h.ctx.config, dataDir }, secondDb));
    sanne = await h.login('sanne', PASSWORD);
  });
  afterAll(async () => {
    await second?.close();
    await secondDb?.close();
    await h?.close();
  });
  const onSecond = (url: string, cookie: string) =>
    second.inject({ method: 'GET', url, headers: { cookie } });

  it('an upload to server A shows its progress, outcome and rejects on server B', async () => {
    const csv = `external_id,email,name,language\nMP-1,mp1@example.com,Mia,nl\nMP-2,not-an-email,Max,en\n`;
    const form = multipart('several.csv', csv);
    const token = await h.csrfOf(sanne, '/app/customers/import');
    const upload = await h.app.inject({
      method: 'POST',
      url: `/app/customers/import?_csrf=${encodeURIComponent(token)}`,
      payload: form.payload,
      headers: { 'content-type': form.contentType, cookie: sanne },
    });
    expect(upload.statusCode).toBe(303);
    const jobUrl = upload.headers.location as string;
    // Right after the redirect the browser may land on the other server: it knows the job.
    const page = await onSecond(jobUrl, sanne);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('several.csv');
    let progress = '';
    for (let i = 0; i < 200; i++) {
      progress = (await onSecond(`${jobUrl}/progress`, sanne)).body;
      if (!progress.includes('data-state="running"')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(progress).toContain('data-state="completed"');
    expect(progress).toMatch(/data-rejected>1</);
    const rejects = await onSecond(`${jobUrl}/rejects`, sanne);
    expect(rejects.statusCode).toBe(200);
    expect(rejects.headers['content-disposition']).toContain('several-rejects.csv');
    expect(rejects.body).toContain('MP-2');
    expect(rejects.body).not.toContain('MP-1,');
    // Only the one who started it sees it, on any server.
    const vera = await h.login('vera', PASSWORD);
    expect((await onSecond(jobUrl, vera)).statusCode).toBe(403);
  });

  it('a running import shows its rows growing on the other server, then its outcome', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-import-'));
    const timings = { heartbeatMs: 100, staleMs: 2_000, progressMs: 20 };
    const a = new ImportJobs(dir, h.ctx.database, timings);
    const b = new ImportJobs(dir, secondDb, timings);
    const upload = a.newUploadPath();
    fs.writeFileSync(upload.file, [...customersToCsv(20_000, 77)].join(''));
    const actor = { ...systemActor('test'), userId: sanneId };
    const job = await a.start(upload.id, upload.file, 'big.csv', actor, h.ctx.deps);
    const seen: number[] = [];
    for (;;) {
      const view = (await b.get(job.id, sanneId))!;
      expect(view.state).not.toBe('interrupted');
      if (view.state !== 'running') break;
      seen.push(view.rows);
      await new Promise((r) => setTimeout(r, 25));
    }
    await job.done;
    const done = (await b.get(job.id, sanneId))!;
    expect(done.state).toBe('completed');
    expect(done.summary).toMatchObject({ inserted: 20_000, rejected: 0 });
    expect(done.hasRejects).toBe(false);
    // B saw the rows go up while A imported (not just "running", then "done").
    expect(seen.some((rows) => rows > 0 && rows < 20_000)).toBe(true);
    expect(await b.get(job.id, sanneId + 1)).toBeUndefined();
  });

  it('shows a job whose process stopped heart-beating as interrupted, not running for ever', async () => {
    const now = Date.now();
    for (const [id, beat] of [
      ['d'.repeat(32), now - 60_000],
      ['a'.repeat(32), now - 1_000],
    ] as const) {
      await insertImportJob(h.ctx.database.db, {
        id,
        user_id: sanneId,
        file_name: 'killed.csv',
        total_bytes: 1000,
        started_at: new Date(now - 120_000).toISOString(),
        state: 'running',
        rows: 120,
        bytes: 400,
        heartbeat_at: new Date(beat).toISOString(),
      });
    }
    const dead = await onSecond(`/app/customers/imports/${'d'.repeat(32)}/progress`, sanne);
    expect(dead.body).toContain('data-state="interrupted"');
    expect(dead.body).toContain('onderbroken');
    expect(dead.body).not.toContain('hx-trigger');
    const alive = await onSecond(`/app/customers/imports/${'a'.repeat(32)}/progress`, sanne);
    expect(alive.body).toContain('data-state="running"');
    expect(alive.body).toContain('hx-trigger');
  });
});
