import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../customers/candor-cli.ts', import.meta.url));

/** What a CLI run printed and how it ended. */
export interface CandorRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `candor ARGS` from the TypeScript sources in a child process, as an operator would, with
 * the given data dir and database and none of the test process's own CANDOR_* settings.
 */
export function runCandor(
  args: string[],
  where: { dataDir: string; databaseUrl: string },
): Promise<CandorRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
      cwd: ROOT,
      env: {
        ...Object.fromEntries(
          Object.entries(process.env).filter(([k]) => !k.startsWith('CANDOR_')),
        ),
        CANDOR_DATA_DIR: where.dataDir,
        CANDOR_DATABASE_URL: where.databaseUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
