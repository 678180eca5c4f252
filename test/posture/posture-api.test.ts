import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPostureContent } from '../../src/demo/demo-posture.js';
import { systemActor } from '../../src/domain/access.js';
import { buildApp } from '../../src/http/app.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';

describe.each(DIALECTS)('posture API on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    const actor = systemActor('test');
    for (const [name, role] of [
      ['rita', 'responder'],
      ['cor', 'communicator'],
      ['abe', 'approver'],
      ['vera', 'viewer'],
    ] as const) {
      await createUser(
        actor,
        { username: name, roles: [role], password: 'correct horse battery' },
        ctx.deps,
      );
      tokens[name] = (await createApiToken(actor, name, { label: 'test' }, ctx.deps)).token;
    }
    app = await buildApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });
  const auth = (name: string) => ({ authorization: `Bearer ${tokens[name]}` });

  it('404 before anything is published; 401 without a token', async () => {
    expect((await app.inject({ url: '/api/v1/posture' })).statusCode).toBe(401);
    const none = await app.inject({ url: '/api/v1/posture', headers: auth('vera') });
    expect(none.statusCode).toBe(404);
    expect(none.json<{ detail: string }>().detail).toContain('no posture statement');
  });

  it('validates the body naming the field; permissions as in the workspace', async () => {
    const content = demoPostureContent(new Date());
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/v1/posture/draft',
      headers: auth('cor'),
      payload: { ...content, validUntil: '31-12-2027' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('validUntil');
    const forbidden = await app.inject({
      method: 'PUT',
      url: '/api/v1/posture/draft',
      headers: auth('vera'),
      payload: content,
    });
    expect(forbidden.statusCode).toBe(403);
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/posture/draft',
      headers: auth('cor'),
      payload: content,
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ state: 'draft', authors: ['cor'] });
  });

  it('approve (not by the author), publish, read back', async () => {
    const draft = await app.inject({ url: '/api/v1/posture/draft', headers: auth('vera') });
    const { contentHash } = draft.json<{ contentHash: string }>();
    const early = await app.inject({
      method: 'POST',
      url: '/api/v1/posture/draft/publish',
      headers: auth('rita'),
    });
    expect(early.statusCode).toBe(409);
    const approve = await app.inject({
      method: 'POST',
      url: '/api/v1/posture/draft/approve',
      headers: auth('abe'),
      payload: { expectedHash: contentHash },
    });
    expect(approve.statusCode).toBe(200);
    const publish = await app.inject({
      method: 'POST',
      url: '/api/v1/posture/draft/publish',
      headers: auth('rita'),
    });
    expect(publish.statusCode).toBe(200);
    expect(publish.json()).toMatchObject({ number: 1, state: 'published' });
    const doc = await app.inject({ url: '/api/v1/posture', headers: auth('vera') });
    expect(doc.statusCode).toBe(200);
    expect(doc.json()).toMatchObject({ version: 1, lapsed: false });
    expect(
      (await app.inject({ url: '/api/v1/posture/versions/1', headers: auth('vera') })).statusCode,
    ).toBe(200);
    expect(
      (await app.inject({ url: '/api/v1/posture/versions/9', headers: auth('vera') })).statusCode,
    ).toBe(404);
  });
});
