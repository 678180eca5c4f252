import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { serverTimeoutOptions } from '../../src/http/timeouts.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';

/** Writes `head`, then `trickle` one byte every `everyMs`; resolves when the server closes. */
function trickle(
  port: number,
  head: string,
  trickle: string,
  everyMs: number,
): Promise<{ response: string; closedAfterMs: number; bytesSent: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (response += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ response, closedAfterMs: Date.now() - started, bytesSent: sent });
    });
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (sent >= trickle.length || socket.destroyed) return;
        socket.write(trickle[sent]!);
        sent += 1;
      }, everyMs);
    });
    setTimeout(() => reject(new Error('the server kept the connection open')), 15_000).unref();
  });
}

describe.each(DIALECTS)('request timeouts on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    const config = {
      ...ctx.config,
      http: { ...ctx.config.http, headersTimeoutMs: 1000, bodyTimeoutMs: 1000 },
    };
    app = await buildApp({ ...ctx, config });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('cuts off a login body trickled one byte at a time with 408, and starts no session', async () => {
    const body = 'username=ada&password=correct+horse+battery+staple';
    const result = await trickle(
      port,
      'POST /app/login HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        'Content-Type: application/x-www-form-urlencoded\r\n' +
        `Content-Length: ${body.length}\r\n\r\n`,
      body,
      200,
    );
    expect(result.response).toMatch(/^HTTP\/1\.1 408 /);
    expect(result.closedAfterMs).toBeLessThan(3000);
    expect(result.bytesSent).toBeLessThan(body.length);
    const sessions = await ctx.database.db.selectFrom('workspace_sessions').selectAll().execute();
    expect(sessions).toEqual([]);
  });

  it('cuts off request headers trickled one byte at a time', async () => {
    const result = await trickle(
      port,
      'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n',
      'X-Slow: ' + 'a'.repeat(200),
      200,
    );
    expect(result.response).toMatch(/^HTTP\/1\.1 408 /);
    expect(result.closedAfterMs).toBeLessThan(3500);
  });

  it('still answers a prompt request over a real connection', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    const login = await fetch(`http://127.0.0.1:${port}/app/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=nobody&password=wrong',
      redirect: 'manual',
    });
    expect(login.status).toBe(401);
  });
});

describe('HTTP timeout settings', () => {
  it('defaults to bounded timeouts and passes them to the server', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({
      headersTimeoutMs: 15_000,
      bodyTimeoutMs: 10_000,
      requestTimeoutMs: 300_000,
      idleTimeoutMs: 120_000,
      keepAliveTimeoutMs: 5_000,
    });
    expect(serverTimeoutOptions(config.http)).toMatchObject({
      connectionTimeout: 120_000,
      keepAliveTimeout: 5_000,
      requestTimeout: 300_000,
      http: { headersTimeout: 15_000, requestTimeout: 300_000 },
    });
  });

  it('reads CANDOR_HTTP_* and refuses nonsense', () => {
    const config = loadConfig({
      CANDOR_HTTP_BODY_TIMEOUT_SECONDS: '2.5',
      CANDOR_HTTP_REQUEST_TIMEOUT_SECONDS: '600',
      CANDOR_HTTP_HEADERS_TIMEOUT_SECONDS: '5',
      CANDOR_HTTP_IDLE_TIMEOUT_SECONDS: '30',
      CANDOR_HTTP_KEEP_ALIVE_SECONDS: '1',
    });
    expect(config.http).toEqual({
      headersTimeoutMs: 5000,
      bodyTimeoutMs: 2500,
      requestTimeoutMs: 600_000,
      idleTimeoutMs: 30_000,
      keepAliveTimeoutMs: 1000,
    });
    expect(() => loadConfig({ CANDOR_HTTP_BODY_TIMEOUT_SECONDS: '0' })).toThrow(
      /CANDOR_HTTP_BODY_TIMEOUT_SECONDS \("0"\): must be positive/,
    );
    expect(() =>
      loadConfig({
        CANDOR_HTTP_HEADERS_TIMEOUT_SECONDS: '60',
        CANDOR_HTTP_REQUEST_TIMEOUT_SECONDS: '30',
      }),
    ).toThrow(/must not exceed CANDOR_HTTP_REQUEST_TIMEOUT_SECONDS/);
  });
});
