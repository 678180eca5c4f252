import { spawn } from 'node:child_process';
import net from 'node:net';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../customers/candor-cli.ts', import.meta.url));

/** What a CLI run printed and how it ended. */
export interface CandorRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `candor ARGS` in this process through the CLI's `main`, with the given data dir and
 * database as its only settings, its output captured and an empty stdin: the commands, their
 * output and exit codes as an operator sees them, without starting Node and compiling the
 * sources for every call (≈ 1 s each). Tests of process behaviour use `spawnCandor`.
 */
export async function runCandor(
  args: string[],
  where: { dataDir: string; databaseUrl?: string },
  options: { stdin?: string } = {},
): Promise<CandorRun> {
  const stdout = new TextSink();
  const stderr = new TextSink();
  const code = await main(args, {
    stdout,
    stderr,
    stdin: Readable.from(options.stdin ? [Buffer.from(options.stdin)] : []),
    env: { CANDOR_DATA_DIR: where.dataDir, CANDOR_DATABASE_URL: where.databaseUrl },
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Collects what is written as text. */
class TextSink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _: BufferEncoding, done: () => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    done();
  }
}

/**
 * Runs `candor ARGS` from the TypeScript sources in a child process, as an operator would, with
 * the given data dir and database and none of the test process's own CANDOR_* settings.
 */
export function spawnCandor(
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

/** A `candor serve` child process (HTTP server, dispatch worker, background loops). */
export interface CandorServer {
  url: string;
  /** Everything the process printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `candor serve` from the TypeScript sources in a child process on a free port of
 * 127.0.0.1 (its mail catcher on another), as an operator runs it, and resolves once it
 * listens. `env` adds CANDOR_* settings.
 */
export async function startCandorServer(
  where: { dataDir: string; databaseUrl: string },
  env: Record<string, string> = {},
): Promise<CandorServer> {
  const [port, catcherPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'serve'], {
    cwd: ROOT,
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CANDOR_'))),
      CANDOR_DATA_DIR: where.dataDir,
      CANDOR_DATABASE_URL: where.databaseUrl,
      CANDOR_HOST: '127.0.0.1',
      CANDOR_PORT: String(port),
      CANDOR_CATCHER_PORT: String(catcherPort),
      CANDOR_PUBLIC_URL: `http://127.0.0.1:${port}`,
      CANDOR_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (d: string) => {
      output += d;
      if (output.includes('Candor is running at')) resolve();
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.once('error', reject);
    void exited.then(() => reject(new Error(`candor serve exited before listening:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
