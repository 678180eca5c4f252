import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';
import { buildPageApp } from '../personal-page/page-app.js';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import { bounceCustomers, deliveryTo, markSent } from './bounce-context.js';

describe.each(DIALECTS)('POST /api/v1/bounces on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let app: FastifyInstance;
  let recall: RecallCase;
  const tokens: Record<string, string> = {};
  const report = (user: string | null, payload: unknown) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/bounces',
      headers: user ? { authorization: `Bearer ${tokens[user]}` } : {},
      payload: payload as Record<string, unknown>,
    });

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    for (const [name, role] of [
      ['sanne', 'responder'],
      ['vera', 'viewer'],
    ] as const) {
      const admin = systemActor('test');
      await createUser(
        admin,
        { username: name, roles: [role], password: 'correct horse battery' },
        ctx.deps,
      );
      tokens[name] = (await createApiToken(admin, name, { label: 'test' }, ctx.deps)).token;
    }
    recall = await createRecallCase(ctx, bounceCustomers('A', 3));
    app = await buildPageApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('needs a token with bounces:report', async () => {
    const d = await deliveryTo(ctx, recall.dispatchId, 'a-1@customer.example');
    expect((await report(null, { messageId: d.message_id })).statusCode).toBe(401);
    const forbidden = await report('vera', { messageId: d.message_id });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json<{ detail: string }>().detail).toContain('bounces:report');
  });

  it('marks a sent delivery bounced and says so; a repeat changes nothing', async () => {
    const d = await deliveryTo(ctx, recall.dispatchId, 'a-1@customer.example');
    await markSent(ctx, d.id);
    const body = { messageId: d.message_id, status: '5.1.1', diagnostic: '550 5.1.1 User unknown' };
    const res = await report('sanne', body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      deliveryId: d.id,
      dispatchId: recall.dispatchId,
      recipientId: d.recipient_id,
      email: 'a-1@customer.example',
      state: 'bounced',
      smtpResponse: 'DSN 5.1.1: 550 5.1.1 User unknown',
      matchedBy: 'message-id',
      changed: true,
    });
    const again = await report('sanne', body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ changed: false });
  });

  it('matches by recipient address', async () => {
    const d = await deliveryTo(ctx, recall.dispatchId, 'a-2@customer.example');
    await markSent(ctx, d.id);
    const res = await report('sanne', { recipient: 'a-2@customer.example' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ deliveryId: d.id, matchedBy: 'recipient' });
  });

  it('answers 404 when nothing matches, 409 when never sent, 400 for a bad body', async () => {
    const notFound = await report('sanne', { recipient: 'nobody@customer.example' });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(notFound.json()).toMatchObject({
      status: 404,
      detail: 'no accepted delivery to nobody@customer.example',
    });
    const queued = await deliveryTo(ctx, recall.dispatchId, 'a-3@customer.example');
    const conflict = await report('sanne', { messageId: queued.message_id });
    expect(conflict.statusCode).toBe(409);
    const bad = await report('sanne', { status: 'bounced' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(['body.status', 'body.messageId']),
    );
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await app.inject({ url: '/api/openapi.json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(doc.paths)).toContain('/api/v1/bounces');
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/n/'))).toBe(false);
  });
});
