/**
 * A relay that answers each message after 20 ms, as real relays do (the dispatch bench's peer
 * answers in microseconds). BENCH_RELAY_ROWS personal notices (default 100,000) through
 * `candor dispatch NOTICE --wait --json` in a child process, once per connection count in
 * BENCH_RELAY_CONNECTIONS (default "8,64"), each a fresh notice to the same recipients.
 * Target: ≥ 2,000 messages/s with 64 connections, the count docs/operations.md recommends for
 * a relay of this latency (connections ≥ rate × latency: 2,000/s × 0.02 s = 40).
 */
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { loadConfig } from '../src/config.js';
import { approveNotice, createNotice } from '../src/services/notices/notice.service.js';
import { createContext } from '../src/wiring.js';
import { spawnSmtpPeer } from '../test/support/smtp-peer.js';
import { benchPerson, prepareRecallCase } from './lib/recall-case.js';
import type { BenchResult } from './lib/results.js';
import { cleanEnv, runCandorMeasured } from './lib/run-measured.js';
import { attempt, type BenchContext, type Scenario } from './lib/scenario.js';

const ROWS = Number(process.env.BENCH_RELAY_ROWS ?? 100_000);
const CONNECTIONS = (process.env.BENCH_RELAY_CONNECTIONS ?? '8,64')
  .split(',')
  .map((c) => Number(c.trim()));
const DELAY_MS = 20;
const MIN_RATE = 2000;
const TARGET_CONNECTIONS = 64;
const SECRET = 'candor-bench-relay-secret-0123456789abcdef';

export const slowRelayBench: Scenario = {
  name: 'slow relay',
  async run(ctx) {
    const peer = await spawnSmtpPeer({ delayMs: DELAY_MS });
    const closePeer = ctx.defer(() => peer.close());
    const dataDir = path.join(ctx.workDir, 'slow-relay');
    try {
      const notices = await prepare(ctx, dataDir, CONNECTIONS.length);
      const results: BenchResult[] = [];
      for (const [i, connections] of CONNECTIONS.entries()) {
        results.push(
          await attempt(`slow relay, ${connections} connections`, ROWS, () =>
            send(ctx, dataDir, peer.url, notices[i]!, connections),
          ),
        );
      }
      return results;
    } finally {
      await closePeer();
    }
  },
};

/** Customers, a case, its affected list and one approved notice per run, in-process. */
async function prepare(ctx: BenchContext, dataDir: string, runs: number): Promise<number[]> {
  ctx.log(`slow relay: preparing ${ROWS.toLocaleString('en')} recipients…`);
  const config = loadConfig({
    CANDOR_DATA_DIR: dataDir,
    CANDOR_SECRET: SECRET,
    CANDOR_LOG_LEVEL: 'silent',
  });
  const app = await createContext(config, { migrate: true });
  try {
    const { caseId } = await prepareRecallCase(app, ROWS, 11);
    const ids: number[] = [];
    for (let i = 0; i < runs; i++) {
      const notice = await createNotice(benchPerson('joost', 'communicator'), caseId, {}, app.deps);
      await approveNotice(benchPerson('fatima', 'approver'), notice.id, {}, app.deps);
      ids.push(notice.id);
    }
    return ids;
  } finally {
    await app.close();
  }
}

/** The in-flight window docs/operations.md recommends for a connection count. */
function inFlightFor(connections: number): number {
  return Math.max(50, 4 * connections);
}

/** One measured `candor dispatch --wait` with `connections` SMTP connections. */
async function send(
  ctx: BenchContext,
  dataDir: string,
  smtpUrl: string,
  noticeId: number,
  connections: number,
): Promise<BenchResult> {
  const scenario = `slow relay, ${connections} connections`;
  ctx.log(`${scenario}: candor dispatch ${noticeId} --wait…`);
  const env = cleanEnv({
    CANDOR_DATA_DIR: dataDir,
    CANDOR_SMTP_URL: smtpUrl,
    CANDOR_SECRET: SECRET,
    CANDOR_DISPATCH_CONNECTIONS: String(connections),
    // docs/operations.md: keep four deliveries in flight per connection, so every connection
    // has its next message while the relay answers the last.
    CANDOR_DISPATCH_INFLIGHT: String(inFlightFor(connections)),
  });
  const run = await runCandorMeasured(
    ctx.repoRoot,
    ['dispatch', String(noticeId), '--wait', '--json'],
    env,
    3600,
  );
  const problems: string[] = [];
  if (run.exitCode !== 0) problems.push(`candor exit ${run.exitCode}: ${run.stderr.slice(0, 300)}`);
  // The sending phase from the record itself: first to last delivery marked sent.
  const db = new BetterSqlite3(path.join(dataDir, 'candor.db'), { readonly: true });
  const row = db
    .prepare(
      `select count(*) as n, min(sent_at) as first, max(sent_at) as last from deliveries
       where dispatch_id = (select id from dispatches where notice_id = ?) and state = 'sent'`,
    )
    .get(noticeId) as { n: number; first: string | null; last: string | null };
  db.close();
  if (row.n !== ROWS) problems.push(`${row.n} deliveries sent, expected ${ROWS}`);
  const sendingSeconds =
    row.first && row.last ? (Date.parse(row.last) - Date.parse(row.first)) / 1000 : null;
  const rate = sendingSeconds ? row.n / sendingSeconds : 0;
  if (connections === TARGET_CONNECTIONS && rate < MIN_RATE)
    problems.push(`${Math.round(rate)} msg/s (target ≥ ${MIN_RATE} msg/s)`);
  const ceiling = (connections * 1000) / DELAY_MS;
  return {
    scenario,
    seconds: run.wallSeconds,
    rows: ROWS,
    peakMb: run.peakMb,
    target: null,
    informative: connections !== TARGET_CONNECTIONS,
    problems,
    notes: [
      `sending ${Math.round(rate).toLocaleString('en')} msg/s over ${sendingSeconds?.toFixed(1) ?? '?'} s ` +
        `(first to last delivery recorded); ${connections} connections, ${inFlightFor(connections)} in flight, at ${DELAY_MS} ms a message ` +
        `allow at most ${ceiling.toLocaleString('en')} msg/s`,
    ],
    details: { rate, sendingSeconds, connections },
  };
}
