/**
 * The customer import of the issue: a million synthetic customers from CSV into SQLite and
 * into PostgreSQL through `candor customers import`, each in a child process so its wall time
 * and peak memory are its own, next to a bare better-sqlite3 insert loop of the same rows.
 */
import { measureAffectedCount } from './affected-count.js';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { ImportSummary } from '../src/services/customers/customer-import.service.js';
import { bareSqliteInsert } from './customer-import.baseline.js';
import { countPgCustomers, createBenchSchema, dropBenchSchema, schemaUrl } from './lib/postgres.js';
import { CUSTOMER_SEED, writeCustomerCsv } from './lib/customer-csv.js';
import { rowsPerSecond, type BenchResult, type Target } from './lib/results.js';
import { cleanEnv, runCandorMeasured } from './lib/run-measured.js';
import { attempt, scaleTarget, type BenchContext, type Scenario } from './lib/scenario.js';

/** Same seed for the CSV and the baseline, so both write the same customers. */

/** The acceptance figures for FULL_ROWS. */
const SQLITE_TARGET: Target = { maxSeconds: 15, maxPeakMb: 300 };
const POSTGRES_TARGET: Target = { maxSeconds: 30, maxPeakMb: 300 };

/** A hung import should not hang the bench: give up after this long. */
const TIMEOUT_SECONDS = 30 * 60;

export const customerImportBench: Scenario = {
  name: 'customer import',
  async run(ctx) {
    const csv = path.join(ctx.workDir, 'customers.csv');
    await writeCustomerCsv(ctx, csv);
    const results: BenchResult[] = [];

    const baseline = await attempt('bare better-sqlite3 insert', ctx.rows, async () => {
      ctx.log('baseline: bare better-sqlite3 prepared inserts…');
      const file = path.join(ctx.workDir, 'baseline.db');
      const outcome = bareSqliteInsert(file, ctx.rows, CUSTOMER_SEED);
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
      return {
        scenario: 'bare better-sqlite3 insert',
        seconds: outcome.seconds,
        rows: outcome.rows,
        peakMb: null,
        target: null,
        informative: true,
        problems:
          outcome.rows === ctx.rows ? [] : [`inserted ${outcome.rows} rows, not ${ctx.rows}`],
        notes: [`baseline: ${BATCH_NOTE}`],
      };
    });
    results.push(baseline);

    const sqliteDir = path.join(ctx.workDir, 'sqlite');
    const sqliteEnv = cleanEnv({ CANDOR_DATA_DIR: sqliteDir });
    const sqlite = await attempt('candor import → SQLite', ctx.rows, async () => {
      const r = await importMeasured(ctx, 'candor import → SQLite', csv, sqliteEnv, SQLITE_TARGET);
      expectSummary(r, { inserted: ctx.rows, updated: 0 });
      checkCount(r, countSqliteCustomers(path.join(sqliteDir, 'candor.db')), ctx.rows);
      const bare = rowsPerSecond(baseline);
      const candor = rowsPerSecond(r);
      if (bare !== null && candor !== null) {
        const ratio = candor / bare;
        r.details = { ...r.details, ratioToBareInsert: ratio };
        r.notes.push(`${ratio.toFixed(2)}× the bare-insert rate (Candor rows/s ÷ bare rows/s)`);
      }
      return r;
    });
    results.push(sqlite);

    let pgSchema: string | null = null;
    let dropPg: () => Promise<void> = async () => undefined;
    const pgImport = await attempt('candor import → PostgreSQL', ctx.rows, async () => {
      const schema = await createBenchSchema();
      pgSchema = schema;
      dropPg = ctx.defer(() => dropBenchSchema(schema));
      ctx.log(`PostgreSQL schema ${schema} on 127.0.0.1:5432/test`);
      const r = await importMeasured(
        ctx,
        'candor import → PostgreSQL',
        csv,
        pgEnv(ctx, schema),
        POSTGRES_TARGET,
      );
      expectSummary(r, { inserted: ctx.rows, updated: 0 });
      checkCount(r, await countPgCustomers(schema), ctx.rows);
      return r;
    });
    results.push(pgImport);
    results.push(
      await attempt('candor dry run → PostgreSQL (over it)', ctx.rows, async () => {
        if (pgImport.problems.length > 0 || pgSchema === null)
          throw new Error('skipped: the PostgreSQL import failed');
        // Informative: a dry run of the same file predicts a re-import and changes nothing.
        const r = await importMeasured(
          ctx,
          'candor dry run → PostgreSQL (over it)',
          csv,
          pgEnv(ctx, pgSchema),
          null,
          ['--dry-run'],
        );
        expectSummary(r, { inserted: 0, updated: ctx.rows });
        checkCount(r, await countPgCustomers(pgSchema), ctx.rows);
        return r;
      }),
    );
    await dropPg();

    results.push(
      await attempt('candor re-import → SQLite (updates)', ctx.rows, async () => {
        if (sqlite.problems.length > 0) throw new Error('skipped: the first SQLite import failed');
        // Informative: the issue sets no target for a re-import.
        const r = await importMeasured(
          ctx,
          'candor re-import → SQLite (updates)',
          csv,
          sqliteEnv,
          null,
        );
        expectSummary(r, { inserted: 0, updated: ctx.rows });
        checkCount(r, countSqliteCustomers(path.join(sqliteDir, 'candor.db')), ctx.rows);
        return r;
      }),
    );
    results.push(
      await attempt('candor dry run → SQLite (over it)', ctx.rows, async () => {
        if (sqlite.problems.length > 0) throw new Error('skipped: the first SQLite import failed');
        const r = await importMeasured(
          ctx,
          'candor dry run → SQLite (over it)',
          csv,
          sqliteEnv,
          null,
          ['--dry-run'],
        );
        expectSummary(r, { inserted: 0, updated: ctx.rows });
        checkCount(r, countSqliteCustomers(path.join(sqliteDir, 'candor.db')), ctx.rows);
        return r;
      }),
    );
    if (sqlite.problems.length === 0) {
      results.push(
        await attempt('affected-set count over the registry (SQLite)', ctx.rows, () =>
          measureAffectedCount(ctx, path.join(sqliteDir, 'candor.db')),
        ),
      );
    }
    fs.rmSync(sqliteDir, { recursive: true, force: true });
    fs.rmSync(csv, { force: true });
    return results;
  },
};

const BATCH_NOTE =
  "the migration's table (AUTOINCREMENT id, unique external_id, JSON text), pre-generated rows, " +
  'prepared INSERT in 2,000-row transactions, WAL; only inserting and closing timed';

function pgEnv(ctx: BenchContext, schema: string): NodeJS.ProcessEnv {
  return cleanEnv({
    CANDOR_DATA_DIR: path.join(ctx.workDir, 'postgres'),
    CANDOR_DATABASE_URL: schemaUrl(schema),
  });
}

/** Runs `candor customers import FILE --json` in a child process and measures it. */
async function importMeasured(
  ctx: BenchContext,
  scenario: string,
  csv: string,
  env: NodeJS.ProcessEnv,
  fullTarget: Target | null,
  extraArgs: string[] = [],
): Promise<BenchResult> {
  ctx.log(`${scenario}…`);
  // The schema first, unmeasured: commands other than migrate/serve/demo never migrate.
  const migrated = await runCandorMeasured(ctx.repoRoot, ['migrate'], env, TIMEOUT_SECONDS);
  if (migrated.exitCode !== 0) throw new Error(`candor migrate failed: ${migrated.stderr}`);
  const run = await runCandorMeasured(
    ctx.repoRoot,
    ['customers', 'import', csv, '--json', ...extraArgs],
    env,
    TIMEOUT_SECONDS,
  );
  const result: BenchResult = {
    scenario,
    seconds: run.wallSeconds,
    rows: ctx.rows,
    peakMb: run.peakMb,
    target: fullTarget && scaleTarget(ctx, fullTarget),
    informative: !ctx.full,
    problems: [],
    notes: [],
  };
  if (run.exitCode !== 0) {
    const why = run.signal ? `killed by ${run.signal}` : `exit code ${run.exitCode}`;
    result.problems.push(`candor ${why}: ${run.stderr.trim().slice(0, 500)}`);
  }
  if (run.peakMb === null) result.problems.push('the child did not report its peak memory');
  let summary: ImportSummary | null = null;
  try {
    summary = JSON.parse(run.stdout) as ImportSummary;
  } catch {
    result.problems.push(`no JSON summary on stdout: ${run.stdout.trim().slice(0, 200)}`);
  }
  if (summary) {
    const { rejects, duplicateLines, ...counts } = summary;
    result.details = {
      summary: {
        ...counts,
        rejects: rejects.slice(0, 5),
        duplicateLines: duplicateLines.slice(0, 5),
      },
    };
    result.notes.push(
      `import itself ${(summary.durationMs / 1000).toFixed(1)} s; the rest is start-up and closing`,
    );
  }
  ctx.log(
    `  ${run.wallSeconds.toFixed(1)} s, peak ${run.peakMb?.toFixed(0) ?? '?'} MB` +
      (result.problems.length ? ` — ${result.problems.join('; ')}` : ''),
  );
  return result;
}

/** Adds a problem for every summary figure that differs from what a clean import reports. */
function expectSummary(r: BenchResult, expected: { inserted: number; updated: number }): void {
  const summary = r.details?.summary as Partial<ImportSummary> | undefined;
  if (!summary) return;
  const want = {
    total: r.rows,
    inserted: expected.inserted,
    updated: expected.updated,
    duplicates: 0,
    rejected: 0,
  };
  for (const key of Object.keys(want) as (keyof typeof want)[]) {
    const got = summary[key];
    if (got !== want[key]) {
      r.problems.push(`summary says ${key} ${got ?? 'missing'}, expected ${want[key]}`);
    }
  }
}

function checkCount(r: BenchResult, count: number, expected: number): void {
  r.details = { ...r.details, customersInDatabase: count };
  if (count !== expected) r.problems.push(`the database holds ${count} customers, not ${expected}`);
}

function countSqliteCustomers(file: string): number {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}
