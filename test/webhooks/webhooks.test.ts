import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendWebhook } from '../../src/channels/webhooks/webhook-sender.js';
import { systemActor } from '../../src/domain/access.js';
import { verifyWebhook } from '../../src/domain/webhook-signature.js';
import { buildApp } from '../../src/http/app.js';
import {
  runPublicationOutboxRound,
  type OutboxDeps,
} from '../../src/services/publication/publication-outbox.service.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { DIALECTS } from '../support/databases.js';
import { createPublicContext, EMBARGOED, publishTestCase } from '../csaf/published-case.js';

/** A local receiver that records requests and answers with the next scripted status. */
async function startReceiver() {
  const requests: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let script: number[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      const status = script.shift() ?? 200;
      if (status === 302) res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
      else res.writeHead(status);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    answer(statuses: number[]) {
      script = [...statuses];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(DIALECTS)('webhooks on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createPublicContext>>;
  let app: FastifyInstance;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let token: string;
  let deps: OutboxDeps;
  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      payload,
    });

  beforeAll(async () => {
    receiver = await startReceiver();
    ctx = await createPublicContext(dialect, { CANDOR_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' });
    deps = {
      ...ctx.deps,
      allowHosts: ctx.config.webhooks.allowHosts,
      transport: null,
      webhookBaseDelayMs: 1,
      webhookMaxAttempts: 3,
    };
    app = await buildApp(ctx);
    await createUser(
      systemActor('test'),
      { username: 'ada', roles: ['admin'], password: 'correct horse battery' },
      ctx.deps,
    );
    token = (await createApiToken(systemActor('test'), 'ada', { label: 't' }, ctx.deps)).token;
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await ctx?.close();
  });
  beforeEach(() => receiver.answer([]));

  const round = () => runPublicationOutboxRound(deps, 'test-worker');

  it('refuses private and loopback targets that are not allow-listed, naming the field', async () => {
    for (const url of [
      'https://10.0.0.8/hook',
      'https://[::ffff:169.254.169.254]/hook',
      'http://example.com/hook',
      'https://user:pw@example.com/hook',
      'ftp://example.com/',
    ]) {
      const res = await api('POST', '/webhooks', { url });
      expect(res.statusCode, url).toBe(422);
      expect(res.json()).toMatchObject({ errors: [{ field: 'url' }] });
    }
  });

  it('signs deliveries with the secret shown once, and logs them', async () => {
    const created = await api('POST', '/webhooks', {
      url: `http://127.0.0.1:${receiver.port}/hook`,
      events: ['published', 'updated'],
      description: 'ticket system',
    });
    expect(created.statusCode).toBe(201);
    const { webhook, secret } = created.json<{ webhook: { id: number }; secret: string }>();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = await api('GET', '/webhooks');
    expect(listed.body).not.toContain(secret);
    const stored = await ctx.database.db
      .selectFrom('webhooks')
      .select('secret_enc')
      .executeTakeFirstOrThrow();
    expect(stored.secret_enc).not.toContain(secret);

    const { reference } = await publishTestCase(ctx, 'advisory');
    await round();
    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0]!;
    expect(verifyWebhook(secret, request.body, String(request.headers['candor-signature']))).toBe(
      true,
    );
    expect(
      verifyWebhook('whsec_wrong', request.body, String(request.headers['candor-signature'])),
    ).toBe(false);
    const payload = JSON.parse(request.body) as { type: string; data: Record<string, unknown> };
    expect(payload.type).toBe('case.published');
    expect(payload.data).toMatchObject({ reference, kind: 'advisory' });
    expect(String(payload.data.csafUrl)).toMatch(
      /^https:\/\/candor\.example\.nl\/\.well-known\/csaf\/white\/\d{4}\/adv-/,
    );
    expect(request.body).not.toContain(EMBARGOED);
    await round();
    expect(receiver.requests).toHaveLength(1);

    const log = await api('GET', `/webhooks/${webhook.id}/deliveries`);
    expect(log.json()).toMatchObject([{ state: 'delivered', attempts: 1, lastStatus: 200 }]);
    await api('DELETE', `/webhooks/${webhook.id}`);
  });

  it('retries with backoff up to the maximum and does not follow redirects', async () => {
    const created = await api('POST', '/webhooks', {
      url: `http://127.0.0.1:${receiver.port}/flaky`,
    });
    const { webhook } = created.json<{ webhook: { id: number } }>();
    receiver.answer([500, 302, 503]);
    receiver.requests.length = 0;
    await publishTestCase(ctx, 'incident', 'Storing bij de webservers');
    for (let i = 0; i < 5; i++) {
      await round();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(receiver.requests).toHaveLength(3);
    const log = await api('GET', `/webhooks/${webhook.id}/deliveries`);
    expect(log.json()).toMatchObject([{ state: 'failed', attempts: 3, lastStatus: 503 }]);
    const rows = await ctx.database.db
      .selectFrom('webhook_deliveries')
      .select(['last_error'])
      .where('webhook_id', '=', webhook.id)
      .execute();
    expect(rows[0]!.last_error).toBe('HTTP 503');
    await api('DELETE', `/webhooks/${webhook.id}`);
  });
});

describe('webhook sender guard', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => receiver?.close());

  it('refuses 127.0.0.1 when it is not allow-listed, and sends when it is', async () => {
    const request = { url: `http://127.0.0.1:${receiver.port}/x`, body: '{}', headers: {} };
    const refused = await sendWebhook(
      { ...request, url: `https://127.0.0.1:${receiver.port}/x` },
      { allowHosts: [] },
    );
    expect(refused.kind).toBe('failed');
    expect((refused as { error: string }).error).toMatch(/loopback/);
    expect(await sendWebhook(request, { allowHosts: ['127.0.0.1'] })).toEqual({
      kind: 'delivered',
      status: 200,
    });
  });

  it('does not follow a redirect', async () => {
    receiver.answer([302]);
    const outcome = await sendWebhook(
      { url: `http://127.0.0.1:${receiver.port}/moved`, body: '{}', headers: {} },
      { allowHosts: ['127.0.0.1'] },
    );
    expect(outcome).toEqual({
      kind: 'failed',
      status: 302,
      error: 'redirect to http://127.0.0.1:1/elsewhere not followed',
    });
  });

  it('checks the address a host name resolves to at connect time (localhost is loopback)', async () => {
    const outcome = await sendWebhook(
      { url: `https://localhost:${receiver.port}/x`, body: '{}', headers: {} },
      { allowHosts: [] },
    );
    expect(outcome).toMatchObject({ kind: 'failed', status: null });
    expect((outcome as { error: string }).error).toMatch(
      /localhost resolves to (127\.0\.0\.1|::1) \(loopback\)/,
    );
    expect(receiver.requests).toHaveLength(2);
  });
});
