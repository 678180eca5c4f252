import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/**
 * The Fastify/Node server options that bound slow clients. Node checks the headers and
 * request deadlines only every `connectionsCheckingInterval` (30 s by default), which would
 * let a deadline overrun by that much; once a second keeps them close to what is configured.
 */
export function serverTimeoutOptions(http: Config['http']) {
  return {
    connectionTimeout: http.idleTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    requestTimeout: http.requestTimeoutMs,
    http: {
      headersTimeout: http.headersTimeoutMs,
      requestTimeout: http.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, http.headersTimeoutMs),
    },
  };
}

const deadlines = new WeakMap<FastifyRequest, NodeJS.Timeout>();

function clearDeadline(request: FastifyRequest): void {
  const timer = deadlines.get(request);
  if (timer) clearTimeout(timer);
  deadlines.delete(request);
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (
    (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined
  );
}

/**
 * A body Fastify parses whole (form, JSON) must arrive within `bodyTimeoutMs`, or the client
 * gets 408 and the connection is closed: one byte every few seconds must not hold a
 * connection (and the unauthenticated login) open for minutes. The span from onRequest to
 * preValidation is exactly the parsing; streamed bodies (imports, multipart uploads) reach
 * preValidation before they are read, so only the whole-request deadline bounds them.
 */
export function registerBodyDeadline(app: FastifyInstance, bodyTimeoutMs: number): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!hasBody(request)) return;
    const timer = setTimeout(() => {
      deadlines.delete(request);
      reply.hijack();
      const socket = request.raw.socket;
      if (reply.raw.headersSent) {
        socket.destroy();
        return;
      }
      reply.raw.writeHead(408, {
        'content-type': 'text/plain; charset=utf-8',
        connection: 'close',
      });
      reply.raw.end('The request body arrived too slowly.\n', () => socket.destroy());
    }, bodyTimeoutMs);
    timer.unref();
    deadlines.set(request, timer);
  });
  app.addHook('preValidation', async (request) => clearDeadline(request));
  app.addHook('onResponse', async (request) => clearDeadline(request));
  app.addHook('onRequestAbort', async (request) => clearDeadline(request));
}
