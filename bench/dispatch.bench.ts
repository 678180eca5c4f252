/**
 * The dispatch of the issue: a million personal notices (render + durable delivery rows +
 * SMTP) through the real CLI, `candor dispatch NOTICE --wait --json` in a child process, to an
 * SMTP peer in a process of its own, next to a bare nodemailer pool loop sending to the same
 * peer in the same run. The preparation (customers, case, affected list, notice, approval)
 * goes through the CLI too and is reported as information.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { generateCustomers } from '../src/demo/customer-generator.js';
import { csvRecord } from '../src/ingest/csv-writer.js';
import type { DispatchProgress } from '../src/services/dispatch/dispatch.service.js';
import { spawnSmtpPeer, type SmtpPeerProcess } from '../test/support/smtp-peer.js';
import { bareNodemailerPool } from './dispatch.baseline.js';
import { rowsPerSecond, type BenchResult, type Target } from './lib/results.js';
import { cleanEnv, runCandorMeasured, type MeasuredRun } from './lib/run-measured.js';
import { attempt, scaleTarget, type BenchContext, type Scenario } from './lib/scenario.js';

/** Same seed for the customers CSV, the affected list and the check of who got mail. */
const SEED = 1;

/** The acceptance figures for FULL_ROWS: 8 minutes, 400 MB. */
const DISPATCH_TARGET: Target = { maxSeconds: 480, maxPeakMb: 400 };
/** Candor's rate must be at least this multiple of the bare pool's. */
const MIN_RATIO = 1.5;

/**
 * The baseline's rate does not depend on how many messages it sends once the pool is warm,
 * so it sends at most this many: a million would add a quarter of an hour to the bench.
 */
const BASELINE_MAX_MESSAGES = 100_000;
/** Candor's default CANDOR_DISPATCH_CONNECTIONS. */
const CONNECTIONS = 8;
/** sendMail promises the baseline keeps outstanding. */
const BASELINE_CONCURRENCY = 100;

/** A fixed 40-character key for personal-page tokens, so runs are comparable. */
const SECRET = 'candor-bench-dispatch-secret-0123456789ab';

/** A hung step should not hang the bench: give up after this long. */
const TIMEOUT_SECONDS = 60 * 60;

const DATA_CATEGORIES = [
  'name',
  'email address',
  'postal address',
  'phone number',
  'invoices',
  'IBAN',
  'password hash',
];

export const dispatchBench: Scenario = {
  name: 'dispatch',
  async run(ctx) {
    ctx.log('SMTP peer: starting in its own process…');
    const peer = await spawnSmtpPeer();
    const closePeer = ctx.defer(() => peer.close());
    const dataDir = path.join(ctx.workDir, 'dispatch');
    const removeData = ctx.defer(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    ctx.log(`  ${peer.url} (pid ${peer.pid})`);
    const results: BenchResult[] = [];
    try {
      const baseline = await attempt('bare nodemailer pool → SMTP', 0, () =>
        runBaseline(ctx, peer),
      );
      results.push(baseline);
      results.push(...(await runCandor(ctx, peer, dataDir, baseline)));
    } finally {
      await closePeer();
      await removeData();
    }
    return results;
  },
};

/** The bare nodemailer pool loop against the peer. */
async function runBaseline(ctx: BenchContext, peer: SmtpPeerProcess): Promise<BenchResult> {
  const count = Math.min(ctx.rows, BASELINE_MAX_MESSAGES);
  ctx.log(
    `baseline: bare nodemailer pool, ${count.toLocaleString('en')} messages, ` +
      `${CONNECTIONS} connections, ${BASELINE_CONCURRENCY} sendMail in flight…`,
  );
  await peer.reset();
  const cpuBefore = (await peer.stats()).cpuMs;
  const outcome = await bareNodemailerPool({
    url: peer.url,
    count,
    maxConnections: CONNECTIONS,
    concurrency: BASELINE_CONCURRENCY,
  });
  const stats = await peer.stats();
  const result: BenchResult = {
    scenario: 'bare nodemailer pool → SMTP',
    seconds: outcome.seconds,
    rows: count,
    peakMb: null,
    target: null,
    informative: true,
    problems: [],
    notes: [
      `baseline: pool: true, maxConnections ${CONNECTIONS}, maxMessages Infinity, ` +
        `${BASELINE_CONCURRENCY} sendMail in flight; one ${(outcome.contentBytes / 1024).toFixed(1)} KB ` +
        'html+text notice, MIME built by nodemailer; no database, no personalisation' +
        (count < ctx.rows
          ? `; ${count.toLocaleString('en')} messages (its rate does not depend on N)`
          : ''),
      peerNote(stats, cpuBefore, outcome.seconds),
    ],
    details: { peer: stats, contentBytes: outcome.contentBytes },
  };
  if (outcome.failed > 0) {
    result.problems.push(`${outcome.failed} sends failed, first: ${outcome.firstError ?? '?'}`);
  }
  if (stats.messages !== count || stats.recipients !== count) {
    result.problems.push(
      `the peer received ${stats.messages} messages for ${stats.recipients} recipients, not ${count}`,
    );
  }
  ctx.log(
    `  ${outcome.seconds.toFixed(1)} s, ${Math.round(count / outcome.seconds).toLocaleString('en')} msg/s` +
      (result.problems.length ? ` — ${result.problems.join('; ')}` : ''),
  );
  return result;
}

/** Preparation through the CLI, then the measured `candor dispatch`. */
async function runCandor(
  ctx: BenchContext,
  peer: SmtpPeerProcess,
  dataDir: string,
  baseline: BenchResult,
): Promise<BenchResult[]> {
  const n = ctx.rows;
  const env = cleanEnv({
    CANDOR_DATA_DIR: dataDir,
    CANDOR_SMTP_URL: peer.url,
    CANDOR_SECRET: SECRET,
  });
  const results: BenchResult[] = [];
  const customersCsv = path.join(ctx.workDir, 'dispatch-customers.csv');
  const affectedCsv = path.join(ctx.workDir, 'dispatch-affected.csv');
  const cli = (args: string[]) => runCandorMeasured(ctx.repoRoot, args, env, TIMEOUT_SECONDS);

  // The steps before the dispatch: any failure ends the scenario with one failed row.
  let noticeId = '';
  const prepared = await attempt('candor dispatch: preparation', n, async () => {
    ctx.log(`preparation: ${n.toLocaleString('en')} customers, case, affected list, notice…`);
    expectSuccess(await cli(['migrate']), 'migrate');
    const generate = await cli([
      'customers',
      'generate',
      '--count',
      String(n),
      '--seed',
      String(SEED),
      '--out',
      customersCsv,
    ]);
    expectSuccess(generate, 'customers generate');
    ctx.log(`  customers generate ${generate.wallSeconds.toFixed(1)} s`);

    const imported = await infoStep(ctx, 'prep: customers import', n, () =>
      cli(['customers', 'import', customersCsv, '--json']),
    );
    results.push(imported.row);
    const importSummary = imported.json as { inserted?: number; rejected?: number };
    if (importSummary.inserted !== n || importSummary.rejected !== 0) {
      throw new Error(`customers import: ${JSON.stringify(importSummary).slice(0, 300)}`);
    }
    fs.rmSync(customersCsv, { force: true });

    expectSuccess(await cli(['users', 'add', 'fatima', '--role', 'approver']), 'users add');
    const kase = await cli([
      'cases',
      'create',
      '--kind',
      'incident',
      '--title',
      'Customer portal breach',
      '--summary',
      'On 26 November an attacker used a flaw in our customer portal to read part of our customer database.',
      '--statement',
      'what_happened.en=On 26 November an attacker used a flaw in our customer portal to read part of our customer database.',
      '--statement',
      'what_happened.nl=Op 26 november las een aanvaller via een fout in ons klantportaal een deel van onze klantendatabase.',
      '--aware-at',
      new Date(Date.now() - 3600_000).toISOString(),
    ]);
    expectSuccess(kase, 'cases create');
    const caseId = kase.stdout.trim();

    await writeAffectedCsv(ctx, affectedCsv, n);
    const affected = await infoStep(ctx, 'prep: affected import', n, () =>
      cli(['affected', 'import', caseId, affectedCsv, '--json']),
    );
    results.push(affected.row);
    const affectedSummary = affected.json as { added?: number; rejected?: number };
    if (affectedSummary.added !== n || affectedSummary.rejected !== 0) {
      throw new Error(`affected import: ${JSON.stringify(affectedSummary).slice(0, 300)}`);
    }
    fs.rmSync(affectedCsv, { force: true });

    const notice = await cli(['notices', 'create', caseId]);
    expectSuccess(notice, 'notices create');
    noticeId = notice.stdout.trim();
    const approve = await infoStep(
      ctx,
      'prep: notice approve (checks all)',
      n,
      () => cli(['notices', 'approve', noticeId, '--as', 'fatima']),
      false,
    );
    results.push(approve.row);
    if (approve.row.problems.length > 0) throw new Error('the notice was not approved');
    return { ...infoRow('candor dispatch: preparation', n), seconds: 0 };
  });
  if (prepared.problems.length > 0) {
    results.push(prepared);
    return results;
  }

  const dispatch = await attempt('candor dispatch → SMTP', n, () =>
    measureDispatch(ctx, peer, env, dataDir, noticeId, baseline),
  );
  results.push(dispatch);
  const phases = dispatch.details?.phases as Phases | undefined;

  const bareRate = rowsPerSecond(baseline);
  if (bareRate !== null && baseline.problems.length === 0 && dispatch.seconds !== null) {
    // The rate target as a time: N at MIN_RATIO × the bare rate.
    const ratio = (rowsPerSecond(dispatch) ?? 0) / bareRate;
    results.push({
      scenario: `candor dispatch ≥ ${MIN_RATIO}× bare pool rate`,
      seconds: dispatch.seconds,
      rows: n,
      peakMb: null,
      target: { maxSeconds: n / (MIN_RATIO * bareRate) },
      informative: !ctx.full,
      problems: [],
      notes: [
        `${ratio.toFixed(2)}× the bare pool's ${Math.round(bareRate).toLocaleString('en')} msg/s ` +
          `(whole dispatch command; target ≥ ${MIN_RATIO}×, i.e. time ≤ N ÷ (${MIN_RATIO} × bare rate))` +
          (phases?.sendingSeconds
            ? `; sending phase alone ${(phases.sent / phases.sendingSeconds / bareRate).toFixed(2)}×`
            : ''),
      ],
      details: { ratio, bareRate },
    });
  }
  if (phases) {
    results.push({
      ...infoRow('dispatch: preparing (freeze, rows, tokens)', n),
      seconds: phases.preparingSeconds,
      notes: [
        `dispatch created → first delivery recorded; freeze + delivery rows written after ` +
          `${phases.rowsSeconds?.toFixed(1) ?? '?'} s (audit 'dispatch.start', before its commit), then tokens and the first batch`,
      ],
    });
    if (phases.sendingSeconds !== null) {
      results.push({
        ...infoRow('dispatch: sending (claim, render, SMTP, record)', phases.sent),
        seconds: phases.sendingSeconds,
        notes: ['first → last delivery recorded (sent_at)'],
      });
    }
  }
  return results;
}

interface Phases {
  /** dispatches.created_at → first deliveries.sent_at. */
  preparingSeconds: number | null;
  /** dispatches.created_at → the audit event of dispatch.start (freeze + delivery rows). */
  rowsSeconds: number | null;
  /** first → last deliveries.sent_at. */
  sendingSeconds: number | null;
  /** created_at → last sent_at: everything the dispatch itself did. */
  dispatchSeconds: number | null;
  sent: number;
  retried: number;
  withoutToken: number;
}

/** Runs and checks `candor dispatch NOTICE --wait --json`. */
async function measureDispatch(
  ctx: BenchContext,
  peer: SmtpPeerProcess,
  env: NodeJS.ProcessEnv,
  dataDir: string,
  noticeId: string,
  baseline: BenchResult,
): Promise<BenchResult> {
  const n = ctx.rows;
  await peer.reset();
  const cpuBefore = (await peer.stats()).cpuMs;
  ctx.log(`candor dispatch ${noticeId} --wait --json (${n.toLocaleString('en')} notices)…`);
  // A dispatch that cannot reach the peer defers and retries for hours; give up well before.
  const target = scaleTarget(ctx, DISPATCH_TARGET);
  const timeout = Math.max(600, 3 * (target.maxSeconds ?? TIMEOUT_SECONDS));
  const run = await runCandorMeasured(
    ctx.repoRoot,
    ['dispatch', noticeId, '--wait', '--json'],
    env,
    timeout,
  );
  const stats = await peer.stats();
  const result: BenchResult = {
    scenario: 'candor dispatch → SMTP',
    seconds: run.wallSeconds,
    rows: n,
    peakMb: run.peakMb,
    target,
    informative: !ctx.full,
    problems: [],
    notes: [],
    details: { peer: stats },
  };
  if (run.exitCode !== 0) {
    const why = run.signal ? `killed by ${run.signal}` : `exit code ${run.exitCode}`;
    result.problems.push(`candor ${why}: ${run.stderr.trim().slice(0, 500)}`);
  }
  if (run.peakMb === null) result.problems.push('the child did not report its peak memory');
  if (run.stderr.trim()) result.notes.push(`stderr: ${run.stderr.trim().slice(0, 300)}`);

  let progress: DispatchProgress | null = null;
  try {
    progress = JSON.parse(run.stdout) as DispatchProgress;
  } catch {
    result.problems.push(`no JSON progress on stdout: ${run.stdout.trim().slice(0, 200)}`);
  }
  if (progress) {
    result.details = { ...result.details, progress };
    const c = progress.counts;
    if (progress.total !== n)
      result.problems.push(`the dispatch has ${progress.total} deliveries, not ${n}`);
    if (c.sent !== n) {
      result.problems.push(
        `counts.sent is ${c.sent}, not ${n} (queued ${c.queued}, sending ${c.sending}, ` +
          `deferred ${c.deferred}, bounced ${c.bounced}, failed ${c.failed})`,
      );
    }
    if (progress.state !== 'completed')
      result.notes.push(`dispatch state at exit: ${progress.state}`);
  }

  // What the peer saw: exactly one message for each customer's address.
  const duplicates = stats.deliveries - stats.recipients;
  result.notes.push(`${duplicates} duplicate deliveries at the peer`);
  if (stats.messages !== n)
    result.problems.push(`the peer accepted ${stats.messages} messages, not ${n}`);
  if (stats.recipients !== n)
    result.problems.push(`the peer saw ${stats.recipients} distinct recipients, not ${n}`);
  if (duplicates !== 0) result.problems.push(`${duplicates} duplicate deliveries`);
  const missing = await checkRecipients(peer, n);
  if (missing.length > 0) result.problems.push(...missing);
  result.notes.push(peerNote(stats, cpuBefore, run.wallSeconds));

  const phases = readPhases(path.join(dataDir, 'candor.db'), progress?.id ?? Number(noticeId));
  if (phases) {
    result.details = { ...result.details, phases };
    if (phases.retried > 0)
      result.notes.push(`${phases.retried} deliveries needed more than one attempt`);
    if (phases.withoutToken > 0)
      result.problems.push(`${phases.withoutToken} recipients have no personal token`);
    if (phases.dispatchSeconds !== null) {
      result.notes.push(
        `dispatch itself (created → last sent) ${phases.dispatchSeconds.toFixed(1)} s; ` +
          `the rest is node start-up, the last progress poll and closing the store`,
      );
    }
  }
  const bare = rowsPerSecond(baseline);
  const rate = rowsPerSecond(result);
  if (bare !== null && rate !== null)
    result.details = { ...result.details, ratioToBarePool: rate / bare };
  ctx.log(
    `  ${run.wallSeconds.toFixed(1)} s, peak ${run.peakMb?.toFixed(0) ?? '?'} MB` +
      (result.problems.length ? ` — ${result.problems.join('; ')}` : ''),
  );
  return result;
}

/** Problems if the peer's recipients are not exactly the customers' addresses, once each. */
async function checkRecipients(peer: SmtpPeerProcess, n: number): Promise<string[]> {
  const counts = await peer.counts();
  const problems: string[] = [];
  let unexpected = 0;
  let missing = 0;
  let twice = 0;
  const seen = new Set<string>();
  for (const c of generateCustomers(n, SEED)) {
    const email = c.email.toLowerCase();
    seen.add(email);
    const got = counts[email];
    if (got === undefined) missing += 1;
    else if (got > 1) twice += 1;
  }
  for (const email of Object.keys(counts)) if (!seen.has(email)) unexpected += 1;
  if (missing) problems.push(`${missing} customers received nothing`);
  if (twice) problems.push(`${twice} customers received more than one message`);
  if (unexpected) problems.push(`${unexpected} addresses that are not customers received mail`);
  return problems;
}

/** Phase timings from the database the dispatch left behind. */
function readPhases(file: string, dispatchId: number): Phases | null {
  if (!fs.existsSync(file)) return null;
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const d = db
      .prepare('SELECT created_at, case_id FROM dispatches WHERE id = ?')
      .get(dispatchId) as { created_at: string; case_id: number } | undefined;
    if (!d) return null;
    const audit = db
      .prepare(
        "SELECT at FROM audit_events WHERE action = 'dispatch.start' AND object_type = 'dispatch' AND object_id = ?",
      )
      .get(String(dispatchId)) as { at: string } | undefined;
    const sent = db
      .prepare(
        `SELECT min(sent_at) AS first, max(sent_at) AS last, count(sent_at) AS sent,
                sum(attempts > 1) AS retried
           FROM deliveries WHERE dispatch_id = ?`,
      )
      .get(dispatchId) as {
      first: string | null;
      last: string | null;
      sent: number;
      retried: number;
    };
    const tokens = db
      .prepare('SELECT count(*) AS n FROM case_recipients WHERE case_id = ? AND token_hash IS NULL')
      .get(d.case_id) as { n: number };
    const created = Date.parse(d.created_at);
    const since = (iso: string | null | undefined) =>
      iso ? (Date.parse(iso) - created) / 1000 : null;
    const first = since(sent.first);
    const last = since(sent.last);
    return {
      preparingSeconds: first,
      rowsSeconds: since(audit?.at),
      sendingSeconds: first !== null && last !== null ? last - first : null,
      dispatchSeconds: last,
      sent: sent.sent,
      retried: sent.retried ?? 0,
      withoutToken: tokens.n,
    };
  } finally {
    db.close();
  }
}

/** Runs a preparation step as an information row; its stdout is parsed as JSON when asked. */
async function infoStep(
  ctx: BenchContext,
  scenario: string,
  rows: number,
  step: () => Promise<MeasuredRun>,
  json = true,
): Promise<{ row: BenchResult; json: unknown }> {
  ctx.log(`${scenario}…`);
  const run = await step();
  const row: BenchResult = {
    ...infoRow(scenario, rows),
    seconds: run.wallSeconds,
    peakMb: run.peakMb,
  };
  if (run.exitCode !== 0) {
    row.problems.push(`exit code ${run.exitCode}: ${run.stderr.trim().slice(0, 500)}`);
  }
  let parsed: unknown = null;
  if (json) {
    try {
      parsed = JSON.parse(run.stdout);
    } catch {
      row.problems.push(`no JSON on stdout: ${run.stdout.trim().slice(0, 200)}`);
    }
  }
  ctx.log(`  ${run.wallSeconds.toFixed(1)} s, peak ${run.peakMb?.toFixed(0) ?? '?'} MB`);
  return { row, json: parsed ?? {} };
}

function infoRow(scenario: string, rows: number): BenchResult {
  return {
    scenario,
    seconds: null,
    rows,
    peakMb: null,
    target: null,
    informative: true,
    problems: [],
    notes: [],
  };
}

function expectSuccess(run: MeasuredRun, what: string): void {
  if (run.exitCode !== 0) {
    throw new Error(`${what}: exit code ${run.exitCode}: ${run.stderr.trim().slice(0, 500)}`);
  }
}

function peerNote(
  stats: { messages: number; bytes: number; cpuMs: number; connections: number },
  cpuBefore: number,
  seconds: number,
): string {
  const cpu = (stats.cpuMs - cpuBefore) / 1000;
  const size = stats.messages ? stats.bytes / stats.messages / 1024 : 0;
  return (
    `peer: ${size.toFixed(1)} KB per message, ${stats.connections} connections, ` +
    `${cpu.toFixed(1)} s CPU (${((cpu / seconds) * 100).toFixed(0)}% of a core)`
  );
}

/**
 * The affected list: every customer, with their own domains and a few data categories, so
 * each notice says something different.
 */
async function writeAffectedCsv(ctx: BenchContext, file: string, n: number): Promise<void> {
  ctx.log(`affected list: ${n.toLocaleString('en')} rows → ${file}`);
  const out = fs.createWriteStream(file);
  let buffer = csvRecord(['external_id', 'domains', 'data']);
  let i = 0;
  for (const c of generateCustomers(n, SEED)) {
    const data = DATA_CATEGORIES.filter((_, k) => k < 2 || ((i >> k) & 1) === 1).join(', ');
    buffer += csvRecord([c.external_id, c.domains.split(';').join(', '), data]);
    i += 1;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}
