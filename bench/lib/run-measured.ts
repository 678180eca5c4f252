import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** What a measured CLI run did and cost. */
export interface MeasuredRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** From spawn to exit: node start-up, the work and closing the store. */
  wallSeconds: number;
  /** Peak resident set of the whole process (all threads), in MB; null if not reported. */
  peakMb: number | null;
  stdout: string;
  stderr: string;
}

const RSS_MARK = 'candor-bench-max-rss-kb';

// Runs the CLI exactly as bin/candor.js does, and on exit reports getrusage's maxRSS: it
// covers every thread of the process, so the SQLite writer worker is included. Plain
// JavaScript, so the child pays no TypeScript loader.
const WRAPPER = `
const [mainUrl, ...args] = process.argv.slice(1);
process.on('exit', () => {
  process.stderr.write('\\n${RSS_MARK} ' + process.resourceUsage().maxRSS + '\\n');
});
const { main } = await import(mainUrl);
process.exitCode = await main(args);
`;

/**
 * Runs `candor <args>` (the compiled CLI in dist/) in a child process with the given
 * environment, measuring its wall time and peak memory.
 */
export function runCandorMeasured(
  repoRoot: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutSeconds: number,
): Promise<MeasuredRun> {
  const mainUrl = pathToFileURL(path.join(repoRoot, 'dist', 'cli', 'main.js')).href;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', WRAPPER, mainUrl, ...args],
      {
        cwd: repoRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: timeoutSeconds * 1000,
      },
    );
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      let err = Buffer.concat(stderr).toString('utf8');
      let peakMb: number | null = null;
      const mark = new RegExp(`\\n?${RSS_MARK} (\\d+)\\n`).exec(err);
      if (mark) {
        peakMb = Number(mark[1]) / 1024;
        err = err.replace(mark[0], '');
      }
      resolve({
        exitCode,
        signal,
        wallSeconds,
        peakMb,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: err,
      });
    });
  });
}

/** The parent's environment without anything that would change what or how the CLI runs. */
export function cleanEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // tsx runs this bench; its loader must not slow the measured child. CANDOR_* settings
    // of the developer's shell must not redirect the import to their own database.
    if (k === 'NODE_OPTIONS' || k.startsWith('CANDOR_')) continue;
    env[k] = v;
  }
  return { ...env, ...overrides };
}
