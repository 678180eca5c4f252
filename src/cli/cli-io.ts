import type { Readable, Writable } from 'node:stream';

/**
 * Where a CLI run reads and writes: the process's own streams and environment when `candor`
 * runs as a program, buffers when a test calls `main(args, io)` in its own process. Commands
 * write through this and never touch `process.stdout` or `process.env` themselves, so one
 * process can run many commands, each with its own settings and output.
 */
export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly stdin: Readable & { isTTY?: boolean };
  /** The CANDOR_* settings the configuration is read from; the process's own when absent. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Set by a command that ends with a partial outcome (rows rejected, a check failed). */
  exitCode?: number;
}

/** The running process's streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
  };
}
