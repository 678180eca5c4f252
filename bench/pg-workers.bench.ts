/**
 * Dispatch throughput with 1, 2 and 3 `candor worker` processes on one PostgreSQL database,
 * towards the slow relay (an SMTP peer answering every message after 20 ms). BENCH_WORKERS_ROWS
 * notices (default 30,000) per run, each run a fresh notice to the same recipients; every
 * worker has 16 connections and 64 deliveries in flight. Informative: the figures go into
 * docs/operations.md; on this 2-core machine the workers share the cores with PostgreSQL and
 * the peer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { systemActor } from '../src/domain/access.js';
import { startDispatch } from '../src/services/dispatch/dispatch.service.js';
import { approveNotice, createNotice } from '../src/services/notices/notice.service.js';
import { createContext } from '../src/wiring.js';
import { spawnSmtpPeer } from '../test/support/smtp-peer.js';
import { createBenchSchema, dropBenchSchema, schemaUrl } from './lib/postgres.js';
import { benchPerson, prepareRecallCase } from './lib/recall-case.js';
import type { BenchResult } from './lib/results.js';
import { cleanEnv } from './lib/run-measured.js';
import { attempt, type BenchContext, type Scenario } from './lib/scenario.js';

const ROWS = Number(process.env.BENCH_WORKERS_ROWS ?? 30_000);
const WORKER_COUNTS = [1, 2, 3];
const CONNECTIONS = 16;
const IN_FLIGHT = 64;
const DELAY_MS = 20;
const SECRET = 'candor-bench-workers-secret-0123456789abc';

export const pgWorkersBench: Scenario = {
  name: 'postgresql workers',
  async run(ctx) {
    const peer = await spawnSmtpPeer({ delayMs: DELAY_MS });
    const closePeer = ctx.defer(() => peer.close());
    const schema = await createBenchSchema();
    const dropSchema = ctx.defer(() => dropBenchSchema(schema));
    const url = schemaUrl(schema);
    const config = loadConfig({
      CANDOR_DATA_DIR: path.join(ctx.workDir, 'pg-workers'),
      CANDOR_DATABASE_URL: url,
      CANDOR_SECRET: SECRET,
      CANDOR_LOG_LEVEL: 'silent',
    });
    const app = await createContext(config, { migrate: true });
    const close = ctx.defer(() => app.close());
    try {
      ctx.log(`postgresql workers: preparing ${ROWS.toLocaleString('en')} recipients…`);
      const { caseId } = await prepareRecallCase(app, ROWS, 13);
      const results: BenchResult[] = [];
      for (const count of WORKER_COUNTS) {
        results.push(
          await attempt(`postgresql, ${count} worker(s), slow relay`, ROWS, async () => {
            const notice = await createNotice(
              benchPerson('joost', 'communicator'),
              caseId,
              {},
              app.deps,
            );
            await approveNotice(benchPerson('fatima', 'approver'), notice.id, {}, app.deps);
            const workers = await Promise.all(
              Array.from({ length: count }, () => startWorker(ctx, url, peer.url)),
            );
            try {
              const dispatch = await startDispatch(systemActor('bench'), notice.id, app.deps);
              return await measure(ctx, app, dispatch.id, count);
            } finally {
              await Promise.all(workers.map(stopWorker));
            }
          }),
        );
      }
      return results;
    } finally {
      await close();
      await dropSchema();
      await closePeer();
    }
  },
};

/** `candor worker` from dist/, resolved once it says it is running. */
async function startWorker(ctx: BenchContext, url: string, smtpUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(ctx.repoRoot, 'bin', 'candor.js'), 'worker'], {
    cwd: ctx.repoRoot,
    env: cleanEnv({
      CANDOR_DATABASE_URL: url,
      CANDOR_DATA_DIR: ctx.workDir,
      CANDOR_SECRET: SECRET,
      CANDOR_SMTP_URL: smtpUrl,
      CANDOR_DISPATCH_CONNECTIONS: String(CONNECTIONS),
      CANDOR_DISPATCH_INFLIGHT: String(IN_FLIGHT),
      CANDOR_LOG_LEVEL: 'warn',
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (/^worker \S+ running$/m.test(stderr)) resolve();
    });
    child.once('exit', () => reject(new Error(`worker exited before it ran:\n${stderr}`)));
  });
  return child;
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Waits until every delivery of the dispatch is sent, then reads the sending rate. */
async function measure(
  ctx: BenchContext,
  app: Awaited<ReturnType<typeof createContext>>,
  dispatchId: number,
  workers: number,
): Promise<BenchResult> {
  const scenario = `postgresql, ${workers} worker(s), slow relay`;
  const started = performance.now();
  const { db } = app.database;
  for (;;) {
    const { rows } = await sql<{ open: string }>`
      select count(*) as open from deliveries
      where dispatch_id = ${dispatchId} and state <> 'sent'`.execute(db);
    if (Number(rows[0]!.open) === 0) break;
    if (performance.now() - started > 1800_000) throw new Error('not all sent after 30 minutes');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const { rows } = await sql<{ n: string; seconds: number }>`
    select count(*) as n, extract(epoch from max(sent_at) - min(sent_at)) as seconds
    from deliveries where dispatch_id = ${dispatchId}`.execute(db);
  const seconds = Number(rows[0]!.seconds);
  const rate = Number(rows[0]!.n) / seconds;
  ctx.log(`  ${workers} worker(s): ${Math.round(rate).toLocaleString('en')} msg/s`);
  return {
    scenario,
    seconds,
    rows: Number(rows[0]!.n),
    peakMb: null,
    target: null,
    informative: true,
    problems: [],
    notes: [
      `${Math.round(rate).toLocaleString('en')} msg/s from first to last delivery recorded; each worker ` +
        `${CONNECTIONS} connections, ${IN_FLIGHT} in flight; relay answers after ${DELAY_MS} ms`,
    ],
    details: { rate, workers },
  };
}
