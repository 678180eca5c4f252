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
      // Errors under `err` keep their stack and type; requests without their secrets.
      serializers: {
        err: pino.stdSerializers.err,
        error: pino.stdSerializers.err,
        req: serializeRequest,
        res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
      },
    },
    destination,
  );
  return logger;
}

/** What a request line says about a request (Fastify hands its request object over). */
interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  params?: unknown;
}

/**
 * Method, URL, host and client address. A path parameter named like a token (`/n/:token`, the
 * subscription confirm and unsubscribe links) is replaced in the URL: those links are bearer
 * credentials, and logs travel further than the database.
 */
function serializeRequest(request: LoggedRequest): Record<string, unknown> {
  let url = request.url ?? '';
  const params = (request.params ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(params)) {
    if (/token/i.test(name) && typeof value === 'string' && value.length > 0) {
      url = url.split(value).join('[redacted]');
    }
  }
  return { method: request.method, url, host: request.host, remoteAddress: request.ip };
}

/** The `(message, fields)` callback shape the background loops take, on a logger. */
export function warnTo(
  logger: Logger,
): (message: string, fields?: Record<string, unknown>) => void {
  return (message, fields) => logger.warn(fields ?? {}, message);
}
