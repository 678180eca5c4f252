import type { BenchResult, Target } from './results.js';

/** The row count the issue's acceptance figures are stated for. */
export const FULL_ROWS = 1_000_000;

/** What every scenario gets from bench/run.ts. */
export interface BenchContext {
  /** The repository root: dist/ and bin/ live here. */
  repoRoot: string;
  /** Rows to generate and import (BENCH_ROWS, default FULL_ROWS). */
  rows: number;
  /** Whether this is the full-size run whose targets count. */
  full: boolean;
  /** A private temporary folder, removed when the bench ends. */
  workDir: string;
  /**
   * Registers a clean-up that also runs on Ctrl-C; returns a function that runs it now
   * (once) and unregisters it.
   */
  defer(cleanup: () => Promise<unknown>): () => Promise<void>;
  /** Prints a progress line. */
  log(message: string): void;
}

/** A group of measurements, one module per scenario (bench/*.bench.ts). */
export interface Scenario {
  name: string;
  run(ctx: BenchContext): Promise<BenchResult[]>;
}

/**
 * A target stated for FULL_ROWS, adjusted to this run: time scales with the row count,
 * memory does not.
 */
export function scaleTarget(ctx: BenchContext, target: Target): Target {
  if (ctx.full || target.maxSeconds === undefined) return target;
  return { ...target, maxSeconds: (target.maxSeconds * ctx.rows) / FULL_ROWS };
}

/** Runs one measurement; an exception becomes a failed row rather than ending the bench. */
export async function attempt(
  scenario: string,
  rows: number,
  body: () => Promise<BenchResult>,
): Promise<BenchResult> {
  try {
    return await body();
  } catch (error) {
    return {
      scenario,
      seconds: null,
      rows,
      peakMb: null,
      target: null,
      informative: false,
      problems: [error instanceof Error ? error.message : String(error)],
      notes: [],
    };
  }
}
