/**
 * The CSV reader against `csv-parse`: the synthetic customer CSV of the customer-import bench
 * (same generator, same seed, BENCH_ROWS rows) parsed
 *
 *  - by Candor's own reader exactly as `candor customers import` uses it: a 1 MiB read stream
 *    into `openRecords` (encoding, format and delimiter detection, header), records in batches,
 *    each with its physical line number, its raw text and its fields;
 *  - by `csv-parse`'s streaming API (`info` and `raw`, so it also gives each record's line and
 *    text: the same work), once more with `info` alone (line numbers, no raw text), and once
 *    with neither (fields only: less than the import needs, a floor for csv-parse).
 *
 * Each run is a child process of its own, so its peak RSS is its own; the runs alternate
 * between the parsers, BENCH_CSV_RUNS times each (default 3). The table shows each parser's
 * median run, the notes the range. Both must yield the same rows, the same line numbers and
 * the same first and last record. Informative: no target.
 *
 * BENCH_ONLY='csv reader' npm run bench
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeCustomerCsv } from './lib/customer-csv.js';
import type { BenchResult } from './lib/results.js';
import { cleanEnv } from './lib/run-measured.js';
import { attempt, type BenchContext, type Scenario } from './lib/scenario.js';

/** The customer-import bench's seed, so this is the file that bench imports. */

const RUNS = Math.max(1, Number(process.env.BENCH_CSV_RUNS ?? 3) || 3);

/** A hung parse should not hang the bench. */
const TIMEOUT_SECONDS = 10 * 60;

type Mode = 'candor' | 'csv-parse' | 'csv-parse-info' | 'csv-parse-plain';

const PARSERS: readonly { mode: Mode; scenario: string }[] = [
  { mode: 'candor', scenario: 'csv reader: Candor (line, raw, fields)' },
  { mode: 'csv-parse', scenario: 'csv reader: csv-parse (info + raw)' },
  { mode: 'csv-parse-info', scenario: 'csv reader: csv-parse (info only)' },
  { mode: 'csv-parse-plain', scenario: 'csv reader: csv-parse (fields only)' },
];

/** What one child reports on stdout. */
interface ParseRun {
  seconds: number;
  maxRssKb: number;
  header: string[];
  rows: number;
  errors: number;
  /** Whether the records carry line numbers (not with csv-parse's fields only). */
  lines: boolean;
  /** Sum of the records' line numbers and of their field counts: every record, compared. */
  lineSum: number;
  fieldSum: number;
  first: SampleRecord | null;
  last: SampleRecord | null;
}

interface SampleRecord {
  line: number | null;
  raw: string | null;
  fields: string[];
}

// Plain JavaScript, run by node without the TypeScript loader, importing the compiled reader
// (dist/, as the CLI does) or csv-parse. Modules are loaded before the clock starts; the clock
// stops when the last record has been handed over. Every record is touched the same way.
const CHILD = `
import fs from 'node:fs';
import { finished } from 'node:stream/promises';
const [mode, file, readerUrl, csvParseUrl] = process.argv.slice(1);
const { openRecords } = await import(readerUrl);
const { parse } = await import(csvParseUrl);
let header = null;
let rows = 0, errors = 0, lineSum = 0, fieldSum = 0, first = null, last = null;
const take = (line, raw, fields) => {
  rows++;
  lineSum += line;
  fieldSum += fields.length;
  if (first === null) first = { line, raw, fields };
  last = { line, raw, fields };
};
const started = process.hrtime.bigint();
const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
if (mode === 'candor') {
  const source = await openRecords(input, { format: 'auto', delimiter: 'auto', encoding: 'auto' });
  header = source.header;
  for await (const batch of source.records) {
    for (const r of batch) {
      if (r.kind === 'csv') take(r.line, r.raw, r.fields);
      else errors++;
    }
  }
} else {
  const withRaw = mode === 'csv-parse';
  const withInfo = mode !== 'csv-parse-plain';
  // What Candor's reader does, as options: records of any length, blank lines skipped, a bad
  // record reported and skipped rather than ending the parse.
  const parser = input.pipe(parse({
    delimiter: ',', bom: true, info: withInfo, raw: withRaw,
    relax_column_count: true, skip_empty_lines: true, skip_records_with_error: true,
  }));
  parser.on('skip', () => errors++);
  parser.on('data', (r) => {
    if (!withInfo) {
      if (header === null) header = r.map((f) => f.trim());
      else take(null, null, r);
      return;
    }
    // info.lines is the line the record ends on; a quoted field can span lines.
    let line = r.info.lines;
    let raw = null;
    if (withRaw) {
      raw = r.raw.endsWith('\\n') ? r.raw.slice(0, r.raw.endsWith('\\r\\n') ? -2 : -1) : r.raw;
      for (let i = raw.indexOf('\\n'); i !== -1; i = raw.indexOf('\\n', i + 1)) line--;
    }
    if (header === null) header = r.record.map((f) => f.trim());
    else take(line, raw, r.record);
  });
  await finished(parser);
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(JSON.stringify({
  seconds, maxRssKb: process.resourceUsage().maxRSS, header, rows, errors,
  lines: mode !== 'csv-parse-plain', lineSum, fieldSum, first, last,
}));
`;

export const csvReaderBench: Scenario = {
  name: 'csv reader',
  async run(ctx) {
    const csv = path.join(ctx.workDir, 'csv-reader-customers.csv');
    await writeCustomerCsv(ctx, csv);
    const runs = new Map<Mode, ParseRun[]>(PARSERS.map((p) => [p.mode, []]));
    const failures = new Map<Mode, string[]>(PARSERS.map((p) => [p.mode, []]));
    // Alternating, so a busy spell on the shared machine hits every parser alike.
    for (let round = 1; round <= RUNS; round++) {
      for (const { mode, scenario } of PARSERS) {
        try {
          const run = await parseInChild(ctx, mode, csv);
          runs.get(mode)!.push(run);
          ctx.log(
            `  ${scenario} #${round}: ${run.seconds.toFixed(2)} s, ` +
              `${Math.round(run.rows / run.seconds).toLocaleString('en')} rows/s, ` +
              `peak ${(run.maxRssKb / 1024).toFixed(0)} MB`,
          );
        } catch (error) {
          failures.get(mode)!.push(error instanceof Error ? error.message : String(error));
        }
      }
    }
    fs.rmSync(csv, { force: true });

    const reference = runs.get('candor')![0];
    const results: BenchResult[] = [];
    for (const { mode, scenario } of PARSERS) {
      results.push(
        await attempt(scenario, ctx.rows, () =>
          Promise.resolve(
            summarise(ctx, scenario, runs.get(mode)!, failures.get(mode)!, reference),
          ),
        ),
      );
    }
    const ours = median(runs.get('candor')!.map(rate));
    const theirs = median(runs.get('csv-parse')!.map(rate));
    if (ours !== null && theirs !== null) {
      const note = `Candor ÷ csv-parse (info + raw), medians: ${(ours / theirs).toFixed(2)}×`;
      results[0]?.notes.push(note);
    }
    return results;
  },
};

function parseInChild(ctx: BenchContext, mode: Mode, csv: string): Promise<ParseRun> {
  const readerUrl = pathToFileURL(path.join(ctx.repoRoot, 'dist', 'ingest', 'record-source.js'));
  const csvParseUrl = pathToFileURL(
    path.join(ctx.repoRoot, 'node_modules', 'csv-parse', 'lib', 'index.js'),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', CHILD, mode, csv, readerUrl.href, csvParseUrl.href],
      {
        cwd: ctx.repoRoot,
        env: cleanEnv({}),
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: TIMEOUT_SECONDS * 1000,
      },
    );
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const err = Buffer.concat(stderr).toString('utf8').trim();
      if (code !== 0) {
        reject(new Error(`${mode}: ${signal ?? `exit code ${code}`}: ${err.slice(0, 500)}`));
        return;
      }
      try {
        resolve(JSON.parse(Buffer.concat(stdout).toString('utf8')) as ParseRun);
      } catch {
        reject(new Error(`${mode}: no result on stdout: ${err.slice(0, 500)}`));
      }
    });
  });
}

function summarise(
  ctx: BenchContext,
  scenario: string,
  runs: readonly ParseRun[],
  failures: readonly string[],
  reference: ParseRun | undefined,
): BenchResult {
  if (runs.length === 0) throw new Error(failures.join('; ') || 'no run');
  const byTime = [...runs].sort((a, b) => a.seconds - b.seconds);
  const mid = byTime[Math.floor((byTime.length - 1) / 2)]!;
  const problems = [...failures];
  for (const run of runs) problems.push(...compare(ctx, run, reference));
  const rates = runs.map(rate);
  const peaks = runs.map((r) => r.maxRssKb / 1024);
  return {
    scenario,
    seconds: mid.seconds,
    rows: mid.rows,
    peakMb: mid.maxRssKb / 1024,
    target: null,
    informative: true,
    problems: [...new Set(problems)],
    notes: [
      `${runs.length} runs: ${range(
        runs.map((r) => r.seconds),
        2,
      )} s, ` + `${range(rates, 0)} rows/s, peak ${range(peaks, 0)} MB (median run in the table)`,
    ],
    details: {
      runs: runs.map((r) => ({
        seconds: r.seconds,
        rowsPerSecond: rate(r),
        peakMb: r.maxRssKb / 1024,
      })),
    },
  };
}

/** What differs from the expected row count and from Candor's reader's first run. */
function compare(ctx: BenchContext, run: ParseRun, reference: ParseRun | undefined): string[] {
  const problems: string[] = [];
  if (run.rows !== ctx.rows) problems.push(`${run.rows} rows, not ${ctx.rows}`);
  if (run.errors !== 0) problems.push(`${run.errors} records rejected`);
  if (reference === undefined) return problems;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(run.header, reference.header)) problems.push('a different header from Candor');
  if (run.lines && run.lineSum !== reference.lineSum)
    problems.push('different line numbers from Candor');
  if (run.fieldSum !== reference.fieldSum) problems.push('different field counts from Candor');
  for (const which of ['first', 'last'] as const) {
    const a = run[which];
    const b = reference[which];
    // Without `raw` (or `info`) csv-parse gives no raw text (or line): compare what it gives.
    const strip = (r: SampleRecord | null) =>
      r && {
        line: run.lines ? r.line : null,
        raw: a?.raw === null ? null : r.raw,
        fields: r.fields,
      };
    if (!same(strip(a), strip(b))) {
      problems.push(`a different ${which} record from Candor`);
    }
  }
  return problems;
}

function rate(run: ParseRun): number {
  return run.rows / run.seconds;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function range(values: readonly number[], digits: number): string {
  const fmt = (v: number) =>
    v.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${fmt(Math.min(...values))}–${fmt(Math.max(...values))}`;
}
