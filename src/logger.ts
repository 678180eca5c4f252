import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/**
 * The process's structured logger: one JSON object per line on stdout (pino, the logger
 * Fastify uses), so a log collector can index the request id, the dispatch and delivery ids.
 * Tests pass a stream to read the lines back.
 */
export function createLogger(
  level: Config['logLevel'],
  destination?: DestinationStream,
  bindings: Record<string, unknown> = {},
): Logger {
  const logger = pino(
    {
      level,
      base: { pid: process.pid, ...bindings },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Errors under `err` keep their stack and type; everything else as given.
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    destination,
  );
  return logger;
}

/** The `(message, fields)` callback shape the background loops take, on a logger. */
export function warnTo(
  logger: Logger,
): (message: string, fields?: Record<string, unknown>) => void {
  return (message, fields) => logger.warn(fields ?? {}, message);
}
