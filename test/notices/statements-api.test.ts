import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { buildApp } from '../../src/http/app.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';

describe.each(DIALECTS)('statements API on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  let ref = '';

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    const actor = systemActor('test');
    for (const [name, role] of [
      ['rita', 'responder'],
      ['cor', 'communicator'],
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
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: auth('rita'),
      payload: { kind: 'incident', title: 'Breach on web12' },
    });
    expect(created.statusCode).toBe(201);
    ref = created.json<{ reference: string }>().reference;
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const auth = (name: string) => ({ authorization: `Bearer ${tokens[name]}` });

  it('writes statements per key and language and reads them back', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: `/api/v1/cases/${ref}/statements`,
      headers: auth('cor'),
      payload: {
        what_happened: { nl: 'Iemand kwam binnen.', en: 'Someone got in.' },
        headline: { en: 'Break-in' },
      },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({
      statements: {
        headline: { en: 'Break-in' },
        what_happened: { nl: 'Iemand kwam binnen.', en: 'Someone got in.' },
      },
      voided: [],
    });
    const get = await app.inject({ url: `/api/v1/cases/${ref}/statements`, headers: auth('vera') });
    expect(get.statusCode).toBe(200);
    expect(get.json()).toMatchObject({ what_happened: { en: 'Someone got in.' } });
    // An empty text removes one language; the rest stays.
    const removed = await app.inject({
      method: 'PUT',
      url: `/api/v1/cases/${ref}/statements`,
      headers: auth('cor'),
      payload: { headline: { en: '' } },
    });
    expect(removed.json<{ statements: object }>().statements).toEqual({
      what_happened: { nl: 'Iemand kwam binnen.', en: 'Someone got in.' },
    });
  });

  it('refuses a placeholder in a statement, naming the field', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: `/api/v1/cases/${ref}/statements`,
      headers: auth('cor'),
      payload: { what_we_did: { en: 'We told {{ customer.name }}.' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('what_we_did');
    expect(res.body).toContain('cannot hold placeholders');
  });

  it('lets a viewer read but not write, and knows no unknown key', async () => {
    const denied = await app.inject({
      method: 'PUT',
      url: `/api/v1/cases/${ref}/statements`,
      headers: auth('vera'),
      payload: { headline: { en: 'x' } },
    });
    expect(denied.statusCode).toBe(403);
    const unknown = await app.inject({
      method: 'PUT',
      url: `/api/v1/cases/${ref}/statements`,
      headers: auth('cor'),
      payload: { nonsense: { en: 'x' } },
    });
    expect(unknown.statusCode).toBe(400);
  });
});
