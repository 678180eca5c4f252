/**
 * `candor worker` as a child process, run from the sources (test/customers/candor-cli.ts),
 * against a test database: for tests that kill workers or run several side by side.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseConfig } from '../../src/config.js';
import { databaseUrl } from '../support/databases.js';
import { TEST_SECRET } from './scenario.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../customers/candor-cli.ts', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the worker has registered and started its claim loops. */
  running: Promise<void>;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the worker wrote to stderr so far. */
  stderr(): string;
}

/**
 * Starts `candor worker` on the database of `config`, sending to `smtpUrl`. Heartbeats are
 * fast and a silent worker counts as dead after one second (CANDOR_DISPATCH_HEARTBEAT_SECONDS
 * and CANDOR_DISPATCH_STALE_SECONDS), so a killed worker's claims come back quickly.
 */
export function spawnWorker(
  config: DatabaseConfig,
  smtpUrl: string,
  env: Record<string, string> = {},
): WorkerProcess {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-worker-'));
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'worker'], {
    cwd: ROOT,
    env: {
      // The caller's own CANDOR_* settings must not point the child elsewhere.
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CANDOR_'))),
      CANDOR_DATABASE_URL: databaseUrl(config),
      CANDOR_DATA_DIR: dataDir,
      CANDOR_SECRET: TEST_SECRET,
      CANDOR_SMTP_URL: smtpUrl,
      CANDOR_DISPATCH_INFLIGHT: '50',
      CANDOR_DISPATCH_HEARTBEAT_SECONDS: '0.2',
      CANDOR_DISPATCH_STALE_SECONDS: '1',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const running = new Promise<void>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (/^worker \S+ running$/m.test(stderr)) resolve();
    });
    child.once('exit', () => reject(new Error(`worker exited before it ran:\n${stderr}`)));
    child.once('error', reject);
  });
  // Awaited only by some callers; an unhandled rejection must not end the test run.
  running.catch(() => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, signal });
    }),
  );
  return { child, running, exited, stderr: () => stderr };
}

/** Stops a worker the way an operator does (SIGTERM: finish the batch, then exit). */
export async function stopWorker(worker: WorkerProcess): Promise<number | null> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) {
    return worker.child.exitCode;
  }
  worker.child.kill('SIGTERM');
  return (await worker.exited).code;
}
