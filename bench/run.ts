/**
 * `npm run bench`: runs every scenario, prints one results table, writes the results as JSON
 * to the system temp folder and exits non-zero when a target or a check fails.
 *
 * BENCH_ROWS=100000 npm run bench   a quick run: time targets are scaled to the row count
 *                                   and only informative; correctness checks still count.
 * BENCH_ONLY=dispatch npm run bench   only the scenarios whose name contains this text.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { customerImportBench } from './customer-import.bench.js';
import { dispatchBench } from './dispatch.bench.js';
import { publicPageBench } from './public-page.bench.js';
import { lettersBench } from './letters.bench.js';
import { deliverySearchBench } from './delivery-search.bench.js';
import { slowRelayBench } from './slow-relay.bench.js';
import { pgWorkersBench } from './pg-workers.bench.js';
import { csvReaderBench } from './csv-reader.bench.js';
import { printTable, verdict, writeResults, type BenchResult } from './lib/results.js';
import { FULL_ROWS, type BenchContext, type Scenario } from './lib/scenario.js';

/** Later issues add their scenarios here. */
const SCENARIOS: readonly Scenario[] = [
  customerImportBench,
  dispatchBench,
  publicPageBench,
  lettersBench,
  deliverySearchBench,
  slowRelayBench,
  pgWorkersBench,
  csvReaderBench,
];

const RESULTS_FILE = path.join(os.tmpdir(), 'candor-bench', 'latest.json');

function parseRows(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return FULL_ROWS;
  const rows = Number(value.replace(/[_,]/g, ''));
  if (!Number.isSafeInteger(rows) || rows < 1) {
    process.stderr.write(`BENCH_ROWS must be a positive whole number (got ${value})\n`);
    process.exit(2);
  }
  return rows;
}

async function main(): Promise<number> {
  const rows = parseRows(process.env.BENCH_ROWS);
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-bench-'));
  const cleanups = new Set<() => Promise<unknown>>();
  const ctx: BenchContext = {
    repoRoot,
    rows,
    full: rows === FULL_ROWS,
    workDir,
    defer(cleanup) {
      cleanups.add(cleanup);
      return async () => {
        if (cleanups.delete(cleanup)) await cleanup();
      };
    },
    log: (message) => process.stdout.write(`${message}\n`),
  };
  const cleanUp = async () => {
    for (const cleanup of [...cleanups].reverse()) {
      cleanups.delete(cleanup);
      await cleanup().catch((e: unknown) =>
        process.stderr.write(`clean-up failed: ${e instanceof Error ? e.message : String(e)}\n`),
      );
    }
    if (!process.env.BENCH_KEEP) fs.rmSync(workDir, { recursive: true, force: true });
  };
  // Ctrl-C also reaches the measured child (same process group); leave nothing behind.
  process.once('SIGINT', () => {
    void cleanUp().finally(() => process.exit(130));
  });

  const cores = os.cpus().length;
  const loadBefore = os.loadavg()[0] ?? 0;
  process.stdout.write(
    `Candor bench: ${rows.toLocaleString('en')} rows` +
      (ctx.full ? '' : ` (quick run: time targets scaled to ${rows} rows and informative)`) +
      `, node ${process.version}, ${cores} cores, load ${loadBefore.toFixed(1)}\n\n`,
  );
  const results: BenchResult[] = [];
  try {
    const only = process.env.BENCH_ONLY?.trim().toLowerCase();
    for (const scenario of SCENARIOS) {
      if (only && !scenario.name.toLowerCase().includes(only)) continue;
      process.stdout.write(`== ${scenario.name}\n`);
      results.push(...(await scenario.run(ctx)));
    }
  } finally {
    await cleanUp();
  }

  printTable(results);
  const loadAfter = os.loadavg()[0] ?? 0;
  // The imports use every core; other work on the machine makes them slower and noisier.
  if (Math.max(loadBefore, loadAfter) > cores / 2) {
    process.stdout.write(
      `\nWarning: the machine was busy (1-minute load ${loadBefore.toFixed(1)} before, ` +
        `${loadAfter.toFixed(1)} after, on ${cores} cores): these figures are pessimistic.\n`,
    );
  }
  const file = writeResults(RESULTS_FILE, {
    rows,
    full: ctx.full,
    load: { before: loadBefore, after: loadAfter },
    results,
  });
  process.stdout.write(`\nResults written to ${file}\n`);
  const failed = results.filter((r) => verdict(r) === 'FAIL');
  if (failed.length > 0) {
    process.stdout.write(`FAILED: ${failed.map((r) => r.scenario).join(', ')}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
