import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { startBackgroundLoops } from '../../src/jobs/background-loops.js';
import { databaseLeases, JobRunner } from '../../src/jobs/job-runner.js';
import { releaseDueEmbargoes } from '../../src/services/publication/embargo-release.service.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { contextOn } from '../../src/wiring.js';
import { DIALECTS, dropConfig, freshConfig } from '../support/databases.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  makeWorker,
  runWorker,
  waitForDispatch,
  type DispatchTestContext,
} from '../dispatch/scenario.js';
import { freePort } from './serve-process.js';

const TOKEN = 'metrics-token-0123456789abcdef';

/** A logger whose JSON lines land in `lines`, as a log collector would read them. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

/** The value of one sample line of a Prometheus text exposition, or undefined. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(DIALECTS)('observability on %s', { timeout: 60_000 }, (dialect) => {
  let ctx: DispatchTestContext;
  let peer: SmtpPeer;
  let deadRelay: string;

  beforeAll(async () => {
    ctx = await createDispatchContext(dialect, {
      CANDOR_METRICS_TOKEN: TOKEN,
      CANDOR_DISPATCH_RETRY_BASE_SECONDS: '0.05',
    });
    peer = await startSmtpPeer();
    deadRelay = `smtp://127.0.0.1:${await freePort()}`;
  });
  afterAll(async () => {
    await peer?.close();
    await ctx?.close();
  });

  it('puts the request id on every line of a request and echoes it', async () => {
    const { logger, lines } = capturedLogger();
    const app = await buildApp(ctx, { logger, smtpUrl: deadRelay });
    try {
      const given = await app.inject({ url: '/readyz', headers: { 'x-request-id': 'lb-7f3a.42' } });
      expect(given.headers['x-request-id']).toBe('lb-7f3a.42');
      const mine = lines.filter((l) => l.requestId === 'lb-7f3a.42');
      // Fastify's own lines and the handler's line ('readiness changed', via request.log).
      expect(mine.map((l) => l.msg)).toEqual(
        expect.arrayContaining(['incoming request', 'readiness changed', 'request completed']),
      );
      // No line of that request lacks it.
      expect(lines.filter((l) => l.req || l.res || l.msg === 'readiness changed')).toEqual(mine);

      // Unsafe or long ids are replaced by our own, never logged or echoed.
      for (const bad of ['two words', 'x'.repeat(65), '<script>', 'a"b']) {
        const res = await app.inject({ url: '/healthz', headers: { 'x-request-id': bad } });
        const id = res.headers['x-request-id'] as string;
        expect(id).toMatch(/^[0-9a-f-]{36}$/);
        expect(lines.some((l) => l.requestId === bad)).toBe(false);
        expect(lines.some((l) => l.requestId === id)).toBe(true);
      }
      const fresh = await app.inject({ url: '/healthz' });
      expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

      // Personal links and subscription links are credentials: never in a log line.
      const secrets = ['pAgEt0kEnXyZ0123456789abcdefghijklmnopqrstu', 'c0nf1rmT0kenZ9876543210'];
      await app.inject({ url: `/n/${secrets[0]}?lang=en` });
      await app.inject({ url: `/security/confirm/${secrets[1]}` });
      const text = JSON.stringify(lines);
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(lines.map((l) => (l.req as { url?: string } | undefined)?.url)).toEqual(
        expect.arrayContaining(['/n/[redacted]?lang=en', '/security/confirm/[redacted]']),
      );
    } finally {
      await app.close();
    }
  });

  it('answers /healthz without the database and /readyz naming what fails', async () => {
    const down = await buildApp(ctx, { smtpUrl: deadRelay });
    const up = await buildApp(ctx, { smtpUrl: peer.url });
    try {
      expect((await down.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
      const refused = await down.inject({ url: '/readyz' });
      expect(refused.statusCode).toBe(503);
      expect(refused.json()).toEqual({
        status: 'unavailable',
        failing: ['smtp'],
        checks: { database: 'ok', smtp: 'failing' },
      });
      const before = peer.stats().connections;
      const ready = await up.inject({ url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', smtp: 'ok' } });
      // The relay check is cached: ten more polls, no new connection to the relay.
      for (let i = 0; i < 10; i++)
        expect((await up.inject({ url: '/readyz' })).statusCode).toBe(200);
      expect(peer.stats().connections).toBe(before + 1);
    } finally {
      await down.close();
      await up.close();
    }
  });

  it('reports a dispatch worker of this process that stopped', async () => {
    const { worker, transport } = makeWorker(ctx, peer.url);
    const running = { worker };
    const app = await buildApp(ctx, { smtpUrl: null, running });
    try {
      expect((await app.inject({ url: '/readyz' })).json()).toMatchObject({
        failing: ['worker'],
      });
      await worker.start();
      expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
      await worker.stop();
      const stopped = await app.inject({ url: '/readyz' });
      expect(stopped.statusCode).toBe(503);
      expect(stopped.json()).toMatchObject({ failing: ['worker'] });
    } finally {
      transport.close();
      await app.close();
    }
  });

  it('reports background loops of this process that stopped or hang', async () => {
    const { transport } = makeWorker(ctx, peer.url);
    const loops = await startBackgroundLoops(ctx, transport, {
      withWorker: false,
      log: () => undefined,
      onError: () => undefined,
    });
    const app = await buildApp(ctx, { smtpUrl: null, running: loops.liveness });
    try {
      expect((await app.inject({ url: '/readyz' })).json()).toEqual({
        status: 'ready',
        checks: {
          database: 'ok',
          outbox: 'ok',
          embargoes: 'ok',
          clockAlerts: 'ok',
          reminders: 'ok',
          questionReplies: 'ok',
        },
      });
      await loops.stop();
      expect((await app.inject({ url: '/readyz' })).json()).toMatchObject({
        failing: ['outbox', 'embargoes', 'clockAlerts', 'reminders', 'questionReplies'],
      });
    } finally {
      transport.close();
      await app.close();
    }
    // A round that has not ended after 15 minutes counts as hung. The first round starts
    // synchronously, so right after the start it is still running.
    const jobs = new JobRunner({ leases: databaseLeases(ctx.database), onError: () => {} }).add({
      name: 'embargoes',
      everyMs: 60_000,
      exclusive: true,
      run: () => releaseDueEmbargoes(ctx.deps).then(() => undefined),
    });
    jobs.start();
    const scheduler = jobs.liveness().embargoes!;
    expect(scheduler.alive()).toBe(true);
    expect(scheduler.alive(Date.now() + 16 * 60_000)).toBe(false);
    await jobs.stop();
    expect(scheduler.alive()).toBe(false);
  });

  it('is not ready on a database behind this version (run candor migrate)', async () => {
    const config = await freshConfig(dialect);
    const database = openDatabase(config);
    try {
      await migrateToLatest(database, { upTo: '2026-11-27T1500-dispatch-once' });
      const app = await buildApp(contextOn({ ...ctx.config, database: config }, database), {
        smtpUrl: null,
      });
      const res = await app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ failing: ['database'] });
      await app.close();
    } finally {
      await database.close();
      await dropConfig(config);
    }
  });

  it('serves Prometheus metrics to the token holder only, from the database', async () => {
    const hidden = await buildApp({ ...ctx, config: { ...ctx.config, metricsToken: null } });
    expect((await hidden.inject({ url: '/metrics' })).statusCode).toBe(404);
    await hidden.close();

    const s = await buildScenario(ctx, await createPeople(ctx), {
      customers: 20,
      until: 'dispatched',
    });
    const [gone, greylisted] = s.customers.map((c) => c.email.toLowerCase());
    peer.reset();
    const relay = await startSmtpPeer({
      faults: ({ stage, rcpt, attempt }) =>
        stage !== 'rcpt'
          ? undefined
          : rcpt === gone
            ? { code: 550, message: '5.1.1 User unknown' }
            : rcpt === greylisted && attempt === 1
              ? { code: 451, message: '4.7.1 Greylisted' }
              : undefined,
    });

    const scrape = async (app: Awaited<ReturnType<typeof buildApp>>) => {
      const res = await app.inject({
        url: '/metrics',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      return res.body;
    };

    // Before any worker: the whole dispatch waits in the queue.
    const early = await buildApp(ctx, { smtpUrl: null });
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`]) {
      const res = await early.inject({
        url: '/metrics',
        headers: authorization ? { authorization } : {},
      });
      expect(res.statusCode).toBe(401);
      expect(res.body).not.toContain('candor_');
    }
    const queued = await scrape(early);
    expect(sample(queued, 'candor_queue_depth')).toBe(20);
    expect(sample(queued, 'candor_queue_oldest_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(queued, 'candor_deliveries{state="queued"}')).toBe(20);
    await early.close();

    const workerLines: { message: string; fields?: Record<string, unknown> }[] = [];
    const worker = await runWorker(ctx, relay.url, {
      retryBaseMs: 50,
      log: (message, fields) => workerLines.push({ message, fields }),
    });
    const done = await waitForDispatch(ctx, s.dispatch!.id).finally(() => worker.stop());
    await relay.close();
    expect(done.counts).toMatchObject({ sent: 19, bounced: 1 });

    const app = await buildApp(ctx, { smtpUrl: null });
    try {
      await app.inject({ url: '/api/v1/cases/12345' });
      await app.inject({ url: '/api/v1/cases/67890' });
      const body = await scrape(app);
      expect(sample(body, 'candor_deliveries{state="sent"}')).toBe(19);
      expect(sample(body, 'candor_deliveries{state="bounced"}')).toBe(1);
      expect(sample(body, 'candor_deliveries_sent_total')).toBe(19);
      expect(sample(body, 'candor_deliveries_bounced_total')).toBe(1);
      expect(sample(body, 'candor_delivery_retries_total')).toBe(1);
      expect(sample(body, 'candor_queue_depth')).toBe(0);
      expect(sample(body, 'candor_queue_oldest_seconds')).toBe(0);
      // The case became aware on 2026-11-27: its GDPR 72-hour clock is long overdue.
      expect(sample(body, 'candor_legal_clock_nearest_seconds')).toBeLessThan(0);
      expect(sample(body, 'candor_legal_clocks_overdue')).toBeGreaterThanOrEqual(1);
      // Latency by route pattern: one series for every case, never the raw URL.
      expect(body).toContain(
        'candor_http_request_duration_seconds_count{method="GET",route="/api/v1/cases/:case",status_code="401"} 2',
      );
      expect(body).not.toContain('12345');
      expect(body).toContain('process_cpu_seconds_total');
    } finally {
      await app.close();
    }

    // The worker's lines name the dispatch and the delivery they are about.
    const bounced = workerLines.find((l) => l.message === 'delivery bounced');
    expect(bounced?.fields).toMatchObject({ dispatchId: s.dispatch!.id, attempt: 1 });
    expect(bounced?.fields?.deliveryId).toEqual(expect.any(Number));
    const deferred = workerLines.find((l) => l.message === 'delivery deferred')?.fields;
    expect(deferred).toMatchObject({ dispatchId: s.dispatch!.id, attempt: 1 });
    expect(String(deferred?.response)).toContain('451');
  });
});
