import { ConfigError, loadConfig } from '../config.js';
import { DomainError, ValidationError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import type { CliIo } from './cli-io.js';
import { createContext, type AppContext } from '../wiring.js';

/** Raised by commands to end with a message and an exit code, without a stack trace. */
export class CliExit extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

/**
 * Runs a command body on the store, closing it afterwards. It never migrates: a database
 * behind this build is refused with a message that says to run `candor migrate`.
 */
export async function withContext<T>(
  io: CliIo,
  body: (ctx: AppContext) => Promise<T>,
  options: { logger?: (config: AppContext['config']) => Logger } = {},
): Promise<T> {
  const config = loadConfig(io.env);
  const ctx = await createContext(config, { logger: options.logger?.(config) });
  try {
    return await body(ctx);
  } finally {
    await ctx.close();
  }
}

/** Turns any error into a readable line on stderr and an exit code. */
export function reportError(io: CliIo, error: unknown): number {
  if (error instanceof CliExit) {
    if (error.message) io.stderr.write(`${error.message}\n`);
    return error.code;
  }
  if (error instanceof ConfigError) {
    io.stderr.write(`${error.message}\n`);
    return 78; // EX_CONFIG
  }
  if (error instanceof ValidationError) {
    io.stderr.write(`error: ${error.message}\n`);
    for (const e of error.errors) io.stderr.write(`  ${e.field}: ${e.message}\n`);
    return 1;
  }
  if (error instanceof DomainError) {
    io.stderr.write(`error: ${error.message}\n`);
    return 1;
  }
  if (isZodError(error)) {
    io.stderr.write('error: invalid input\n');
    for (const i of error.issues) {
      io.stderr.write(`  ${i.path.join('.') || '(input)'}: ${i.message}\n`);
    }
    return 1;
  }
  io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

function isZodError(e: unknown): e is { issues: { path: PropertyKey[]; message: string }[] } {
  return typeof e === 'object' && e !== null && 'issues' in e && Array.isArray(e.issues);
}

/** Reads all of stdin as text (empty when stdin is a terminal). */
export async function readStdin(io: CliIo): Promise<string> {
  if (io.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Prints a value as pretty JSON on stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
