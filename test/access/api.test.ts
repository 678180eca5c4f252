import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { buildApp } from '../../src/http/app.js';
import { hashToken } from '../../src/lib/secrets.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';

describe.each(DIALECTS)('HTTP API on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    const actor = systemActor('test');
    for (const [name, role] of [
      ['ada', 'admin'],
      ['sanne', 'responder'],
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

  it('answers health checks', async () => {
    const res = await app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('serves an OpenAPI document generated from the route schemas, and a reference page', async () => {
    const res = await app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/customers',
        '/api/v1/customers/imports',
        '/api/v1/users',
        '/api/v1/audit',
      ]),
    );
    const search = doc.paths['/api/v1/customers']!.get as { parameters: { name: string }[] };
    expect(search.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['q', 'after', 'limit']),
    );
    const docs = await app.inject({ url: '/api/docs' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger-ui');
    const bundle = await app.inject({ url: '/api/docs/static/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
  });

  it('requires a bearer token, answering 401 as problem+json', async () => {
    const res = await app.inject({ url: '/api/v1/me' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.json()).toMatchObject({
      status: 401,
      title: 'Unauthorized',
      instance: '/api/v1/me',
    });
    const bad = await app.inject({
      url: '/api/v1/me',
      headers: { authorization: 'Bearer cnd_nope' },
    });
    expect(bad.statusCode).toBe(401);
  });

  it('knows who is calling', async () => {
    const res = await app.inject({ url: '/api/v1/me', headers: auth('sanne') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'sanne', roles: ['responder'] });
    expect(res.json<{ permissions: string[] }>().permissions).toContain('customers:import');
  });

  it('checks the role on every route', async () => {
    const users = await app.inject({ url: '/api/v1/users', headers: auth('vera') });
    expect(users.statusCode).toBe(403);
    expect(users.json()).toMatchObject({ status: 403, title: 'Forbidden' });
    const audit = await app.inject({ url: '/api/v1/audit', headers: auth('vera') });
    expect(audit.statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/users', headers: auth('ada') })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/audit', headers: auth('sanne') })).statusCode).toBe(
      200,
    );
  });

  it('refuses to start with an /api/v1 route that declares no permission', async () => {
    const bare = await buildApp(ctx);
    expect(() =>
      bare.register(
        async (api) => {
          api.get('/oops', () => 'open');
        },
        { prefix: '/api/v1' },
      ),
    ).not.toThrow();
    await expect(bare.ready()).rejects.toThrow(/declares no permission/);
  });

  it('creates users with a generated password shown once', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: auth('ada'),
      payload: { username: 'Joost', roles: ['communicator'], displayName: 'Joost Bakker' },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ user: { username: string }; generatedPassword: string }>();
    expect(body.user.username).toBe('joost');
    expect(body.generatedPassword).toMatch(/^[\w-]{20}$/);
    const row = await ctx.database.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'joost')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(row.password_hash).not.toContain(body.generatedPassword);
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: auth('ada'),
      payload: { username: 'joost', roles: ['viewer'] },
    });
    expect(again.statusCode).toBe(409);
  });

  it('names each invalid field in a 400 problem', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: auth('ada'),
      payload: { username: 'x', roles: ['overlord'], password: 'short' },
    });
    expect(res.statusCode).toBe(400);
    const problem = res.json<{ errors: { field: string; message: string }[] }>();
    const fields = problem.errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['body.username', 'body.roles.0', 'body.password']),
    );
  });

  it('issues personal tokens stored only as a hash', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: auth('vera'),
      payload: { label: 'laptop' },
    });
    expect(res.statusCode).toBe(201);
    const { token, view } = res.json<{ token: string; view: { prefix: string } }>();
    expect(token).toMatch(/^cnd_[\w-]{43}$/);
    expect(token.startsWith(view.prefix)).toBe(true);
    const rows = await ctx.database.db.selectFrom('api_tokens').select(['token_hash']).execute();
    expect(rows.map((r) => r.token_hash)).toContain(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const me = await app.inject({
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json()).toMatchObject({ name: 'vera' });
  });

  it('rejects expired and revoked tokens', async () => {
    const { token } = await createApiToken(
      systemActor(),
      'sanne',
      { label: 'old', expiresInDays: 1 },
      ctx.deps,
    );
    await ctx.database.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('token_hash', '=', hashToken(token))
      .execute();
    expect(
      (await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(401);
    const { token: t2 } = await createApiToken(systemActor(), 'sanne', { label: 'gone' }, ctx.deps);
    await ctx.database.db
      .updateTable('api_tokens')
      .set({ revoked_at: new Date().toISOString() })
      .where('token_hash', '=', hashToken(t2))
      .execute();
    expect(
      (await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${t2}` } }))
        .statusCode,
    ).toBe(401);
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await app.inject({ url: '/api/v1/nothing-here', headers: auth('ada') });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('audits state changes made over the API with the caller and address', async () => {
    const res = await app.inject({ url: '/api/v1/audit?limit=500', headers: auth('ada') });
    const entries = res.json<{ action: string; actor: string; source: string }[]>();
    const created = entries.find((e) => e.action === 'user.create' && e.actor === 'ada');
    expect(created?.source).toBe('127.0.0.1');
    expect(entries.some((e) => e.action === 'token.create' && e.actor === 'vera')).toBe(true);
  });
});
