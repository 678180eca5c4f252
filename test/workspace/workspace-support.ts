import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { systemActor, type Role } from '../../src/domain/access.js';
import type { Dialect } from '../../src/store/database.js';
import { createUser } from '../../src/services/access/user.service.js';
import type { AppContext } from '../../src/wiring.js';
import type { Config, DatabaseConfig } from '../../src/config.js';
import { createTestContext } from '../support/app-context.js';

/** A test app on a fresh database, with helpers to log in and post forms. */
export interface WorkspaceHarness {
  ctx: AppContext;
  app: FastifyInstance;
  /** The test database's config, for child processes (databaseUrl). */
  databaseConfig: DatabaseConfig;
  addUser(username: string, roles: Role[], password?: string): Promise<number>;
  /** Logs in with the password; returns the session cookie header. */
  login(username: string, password?: string): Promise<string>;
  /** GETs a page with a cookie; returns the response. */
  get(url: string, cookie?: string): Promise<LightMyRequestResponse>;
  /** POSTs a urlencoded form with the page's CSRF token (or none when `csrf` is null). */
  post(
    url: string,
    form: Record<string, string>,
    cookie: string,
    csrf?: string | null,
  ): Promise<LightMyRequestResponse>;
  /** The CSRF token in a page. */
  csrfOf(cookie: string, url?: string): Promise<string>;
  close(): Promise<void>;
}

export const PASSWORD = 'correct horse battery staple';

/** Builds the harness; `workspace` overrides the session settings. */
export async function createHarness(
  dialect: Dialect,
  workspace: Partial<Config['workspace']> = {},
  config: Partial<Pick<Config, 'publicUrl' | 'trustProxy' | 'dataDir'>> = {},
): Promise<WorkspaceHarness> {
  const base = await createTestContext(dialect);
  const ctx: AppContext = {
    ...base,
    config: { ...base.config, ...config, workspace: { ...base.config.workspace, ...workspace } },
  };
  const app = await buildApp(ctx);
  const harness: WorkspaceHarness = {
    ctx,
    app,
    databaseConfig: base.testDb.config,
    async addUser(username, roles, password = PASSWORD) {
      const { user } = await createUser(
        systemActor('test'),
        { username, roles, password },
        ctx.deps,
      );
      return user.id;
    },
    async login(username, password = PASSWORD) {
      const response = await app.inject({
        method: 'POST',
        url: '/app/login',
        payload: new URLSearchParams({ username, password }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      if (response.statusCode !== 303) throw new Error(`login failed: ${response.statusCode}`);
      return cookieHeader(response);
    },
    get(url, cookie) {
      return app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
    },
    async post(url, form, cookie, csrf) {
      const token = csrf === undefined ? await harness.csrfOf(cookie) : csrf;
      const body = new URLSearchParams(form);
      if (token !== null) body.set('_csrf', token);
      return app.inject({
        method: 'POST',
        url,
        payload: body.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      });
    },
    async csrfOf(cookie, url = '/app') {
      const page = await harness.get(url, cookie);
      const match = /name="_csrf" value="([^"]+)"/.exec(page.body);
      if (!match) throw new Error(`no CSRF token on ${url} (${page.statusCode})`);
      return match[1]!;
    },
    async close() {
      await app.close();
      await base.close();
    },
  };
  return harness;
}

/** The `cookie` request header that carries the session cookie a response set. */
export function cookieHeader(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'candor_session');
  if (!cookie) throw new Error('no session cookie set');
  return `candor_session=${cookie.value}`;
}
