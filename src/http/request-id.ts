import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyInstance } from 'fastify';

/**
 * An incoming X-Request-Id is kept only when it is short and made of safe characters, so a
 * client (or the proxy in front) can correlate its own id with ours, but cannot inject log
 * lines, control characters or a megabyte of text into every line of its request.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,64}$/;

/** The request's id: the caller's X-Request-Id when it is safe, else a fresh UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  const given = Array.isArray(header) ? header[0] : header;
  return given !== undefined && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Fastify options: the id above, logged as `requestId` on every line of the request. */
export function requestIdOptions() {
  return {
    // false: Fastify would take any header value verbatim; genReqId judges it instead.
    requestIdHeader: false,
    genReqId: requestIdOf,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
  } as const;
}

/** Echoes the id in every response, so a user's report can be matched to the log lines. */
export function registerRequestIdEcho(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
}
