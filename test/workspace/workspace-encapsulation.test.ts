import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { registerWorkspaceHook, WORKSPACE_CSP } from '../../src/http/workspace/workspace-hook.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from './workspace-support.js';

/**
 * The workspace is one encapsulated plugin under /app (workspace-plugin.ts): its hooks, error
 * pages and body parsers reach its own routes and nothing registered beside it.
 */
const BOUNDARY = '----candor-encapsulation';
const MULTIPART = {
  payload:
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n` +
    `Content-Type: text/csv\r\n\r\nexternal_id\nA-1\n\r\n--${BOUNDARY}--\r\n`,
  type: `multipart/form-data; boundary=${BOUNDARY}`,
};
const FORM = { payload: 'username=lead&password=x', type: 'application/x-www-form-urlencoded' };

describe.each(DIALECTS)('the workspace as one encapsulated plugin on %s', (dialect) => {
  let h: WorkspaceHarness;
  let lead: string;
  /** The full app plus a route of its own beside the workspace, at a path that starts "/app". */
  let app: FastifyInstance;

  beforeAll(async () => {
    h = await createHarness(dialect, { requireTotpForAdmins: false });
    await h.addUser('lead', ['responder']);
    lead = await h.login('lead');
    app = await buildApp(h.ctx);
    const config = { permission: 'public' as const };
    app.get('/application-status', { config }, (request) => ({
      session: request.session ?? null,
    }));
    app.post('/application-status', { config }, (request) => ({ body: request.body ?? null }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it('leaves a route beside the workspace alone: no workspace headers, session or login', async () => {
    const res = await app.inject({ url: '/application-status', headers: { cookie: lead } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ session: null });
    expect(res.headers['content-security-policy']).toBeUndefined();
    expect(res.headers['x-robots-tag']).toBeUndefined();
  });

  it('parses form and multipart bodies inside /app only', async () => {
    const post = (url: string, body: { payload: string; type: string }) =>
      app.inject({
        method: 'POST',
        url,
        payload: body.payload,
        headers: { 'content-type': body.type },
      });
    // Beside the workspace neither parser exists: the media type is refused.
    for (const body of [MULTIPART, FORM]) {
      const outside = await post('/application-status', body);
      expect(outside.statusCode, body.type).toBe(415);
    }
    // The login form (public) gets both parsed; a type without a parser is refused there too.
    expect((await post('/app/login', FORM)).statusCode).toBe(401);
    expect((await post('/app/login', MULTIPART)).statusCode).toBe(400);
    const unknown = await post('/app/login', { payload: 'x', type: 'text/weird' });
    expect(unknown.statusCode).toBe(415);
    expect(unknown.headers['content-type']).toMatch(/^text\/html/);
  });

  it('answers an unknown /app URL with its 404 page, session resolved; /apple is not /app', async () => {
    const page = await app.inject({ url: '/app/no-such-page', headers: { cookie: lead } });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toBe(WORKSPACE_CSP);
    // The logged-in layout: the page carries the session's CSRF token (its logout form).
    expect(page.body).toContain(await h.csrfOf(lead));
    const anonymous = await app.inject({ url: '/app/no-such-page' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/app/login?next=%2Fapp%2Fno-such-page');

    const apple = await app.inject({ url: '/apple', headers: { cookie: lead } });
    expect(apple.statusCode).toBe(404);
    expect(apple.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(apple.headers['content-security-policy']).toBeUndefined();
    for (const url of ['/app', '/app/', '/app?x=1']) {
      const dashboard = await app.inject({ url, headers: { cookie: lead } });
      expect(dashboard.statusCode, url).toBe(200);
      expect(dashboard.headers['content-security-policy'], url).toBe(WORKSPACE_CSP);
      expect((await app.inject({ url })).headers.location, url).toMatch(/^\/app\/login\?next=/);
    }
  });

  it('refuses to start with a workspace route that declares no permission', async () => {
    const hookOptions = {
      deps: { database: h.ctx.database, workspace: h.ctx.config.workspace },
      publicUrl: h.ctx.config.publicUrl,
      defaultLocale: 'nl' as const,
      mailbox: false,
    };
    const bare = Fastify();
    void bare.register(
      async (workspace) => {
        registerWorkspaceHook(workspace, hookOptions);
        workspace.get('/oops', () => 'open');
      },
      { prefix: '/app' },
    );
    await expect(bare.ready()).rejects.toThrow(/GET \/app\/oops declares no permission/);

    // The check belongs to the workspace's context: a route beside it needs no permission.
    const beside = Fastify();
    await beside.register(async (workspace) => registerWorkspaceHook(workspace, hookOptions), {
      prefix: '/app',
    });
    beside.get('/application-status', () => 'fine');
    await expect(beside.ready()).resolves.toBeDefined();
    await beside.close();
  });

  it('refuses to start with a route under /app registered outside the workspace plugin', async () => {
    const stray = await buildApp(h.ctx);
    stray.get('/app/sneaky', { config: { permission: 'public' } }, () => 'no session check');
    await expect(stray.ready()).rejects.toThrow(
      /GET \/app\/sneaky is under \/app but outside the workspace plugin/,
    );
    await stray.close();
  });
});
