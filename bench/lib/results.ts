import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Limits a measurement must stay within; absent fields are not checked. */
export interface Target {
  maxSeconds?: number;
  maxPeakMb?: number;
}

/** One line of the results table. */
export interface BenchResult {
  scenario: string;
  /** Wall time in seconds, or null when the step failed before it could be timed. */
  seconds: number | null;
  rows: number;
  /** Peak resident memory of the measured process in MB, when it was measured. */
  peakMb: number | null;
  target: Target | null;
  /** A quick run (BENCH_ROWS): a missed target is shown but does not fail the bench. */
  informative: boolean;
  /** Wrong outcomes (counts, exit codes, errors); any problem fails the row, quick run or not. */
  problems: string[];
  notes: string[];
  /** Anything else worth keeping in the JSON results (the import summary, ratios…). */
  details?: Record<string, unknown>;
}

export type Verdict = 'PASS' | 'FAIL' | 'info' | 'pass (info)' | 'miss (info)';

/** Whether the measurement stays within its target (true when there is none). */
export function meetsTarget(r: BenchResult): boolean {
  if (r.target === null) return true;
  if (r.seconds === null) return false;
  if (r.target.maxSeconds !== undefined && r.seconds > r.target.maxSeconds) return false;
  if (r.target.maxPeakMb !== undefined && (r.peakMb === null || r.peakMb > r.target.maxPeakMb)) {
    return false;
  }
  return true;
}

/** The verdict printed for a row. */
export function verdict(r: BenchResult): Verdict {
  if (r.problems.length > 0) return 'FAIL';
  if (r.target === null) return 'info';
  if (r.informative) return meetsTarget(r) ? 'pass (info)' : 'miss (info)';
  return meetsTarget(r) ? 'PASS' : 'FAIL';
}

/** Rows per second, or null when the row has no time. */
export function rowsPerSecond(r: BenchResult): number | null {
  return r.seconds === null || r.seconds <= 0 ? null : r.rows / r.seconds;
}

function describeTarget(t: Target | null): string {
  if (t === null) return '-';
  const parts: string[] = [];
  if (t.maxSeconds !== undefined) parts.push(`≤ ${formatSeconds(t.maxSeconds)}`);
  if (t.maxPeakMb !== undefined) parts.push(`≤ ${t.maxPeakMb} MB`);
  return parts.join(', ');
}

function formatSeconds(s: number): string {
  return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
}

/** Prints the results as an aligned table, then each row's notes and problems. */
export function printTable(results: readonly BenchResult[]): void {
  const header = ['scenario', 'time', 'rows/s', 'peak MB', 'target', 'result'];
  const lines = results.map((r) => {
    const rate = rowsPerSecond(r);
    return [
      r.scenario,
      r.seconds === null ? '-' : formatSeconds(r.seconds),
      rate === null ? '-' : Math.round(rate).toLocaleString('en'),
      r.peakMb === null ? '-' : r.peakMb.toFixed(0),
      describeTarget(r.target),
      verdict(r),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  // Text columns left-aligned, numbers right-aligned.
  const numeric = [false, true, true, true, false, false];
  const format = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [format(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const l of lines) out.push(format(l));
  const remarks = results.flatMap((r) => [
    ...r.notes.map((n) => `  ${r.scenario}: ${n}`),
    ...r.problems.map((p) => `  ${r.scenario}: PROBLEM: ${p}`),
  ]);
  if (remarks.length > 0) out.push('', ...remarks);
  process.stdout.write(`\n${out.join('\n')}\n`);
}

/** Writes the results and the machine they were measured on as JSON; returns the path. */
export function writeResults(
  file: string,
  run: {
    rows: number;
    full: boolean;
    /** 1-minute load average before and after, to tell a busy machine's figures apart. */
    load: { before: number; after: number };
    results: readonly BenchResult[];
  },
): string {
  const cpus = os.cpus();
  const payload = {
    date: new Date().toISOString(),
    rows: run.rows,
    full: run.full,
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      memoryMb: Math.round(os.totalmem() / 2 ** 20),
      load: run.load,
    },
    results: run.results.map((r) => ({
      ...r,
      rowsPerSecond: rowsPerSecond(r),
      verdict: verdict(r),
    })),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(payload, null, 2)}\n`);
  return file;
}
