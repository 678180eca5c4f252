/**
 * A workspace on a fresh test database for the case-screen tests: the real app, users of
 * each role with a logged-in session each (made by the session service, as the login does),
 * a small customer registry, and a client per user that sends the session cookie and the
 * CSRF token like a browser's form would.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { systemActor, type Role } from '../../src/domain/access.js';
import { buildApp } from '../../src/http/app.js';
import { SESSION_COOKIE } from '../../src/http/workspace/workspace-hook.js';
import { importCustomers } from '../../src/services/customers/customer-import.service.js';
import { createSession, resolveSession } from '../../src/services/access/session.service.js';
import { createUser } from '../../src/services/access/user.service.js';
import type { Dialect } from '../../src/store/database.js';
import type { AppContext } from '../../src/wiring.js';
import { createTestContext } from '../support/app-context.js';

export interface WorkspaceResponse {
  status: number;
  body: string;
  headers: Record<string, string | string[] | number | undefined>;
  location: string | undefined;
  /** For an upload answered POST → 303: that first answer (the body is the page it led to). */
  via?: WorkspaceResponse;
}

/** One logged-in user driving the workspace through `inject`. */
export interface WorkspaceClient {
  username: string;
  csrf: string;
  get(url: string): Promise<WorkspaceResponse>;
  /** A urlencoded form post; the CSRF token is added unless `csrf: false`. */
  post(
    url: string,
    form: Record<string, string>,
    options?: { csrf?: boolean },
  ): Promise<WorkspaceResponse>;
  /** A multipart upload of one file (the token goes in the query, as the form does it). */
  upload(url: string, file: { name: string; content: string }): Promise<WorkspaceResponse>;
}

export const USERS: { username: string; roles: Role[]; language?: 'nl' | 'en' }[] = [
  { username: 'rita', roles: ['responder'] },
  { username: 'cor', roles: ['communicator'] },
  { username: 'anna', roles: ['approver'] },
  // Writes and approves: the four-eyes rule must stop her approving her own text.
  { username: 'carla', roles: ['communicator', 'approver'] },
  { username: 'vera', roles: ['viewer'] },
  // Works in Dutch: every screen must have its texts in both languages.
  { username: 'nina', roles: ['responder'], language: 'nl' },
];

/** The registry every test starts with. */
export const CUSTOMERS = [
  {
    external_id: 'K-1',
    email: 'marieke@example.nl',
    name: 'Marieke Jansen',
    language: 'nl',
    plan: 'shared',
    server: 'web12',
  },
  {
    external_id: 'K-2',
    email: 'john@example.com',
    name: 'John Smith',
    language: 'en',
    plan: 'shared',
    server: 'web13',
  },
  {
    external_id: 'K-3',
    email: 'piet@example.nl',
    name: 'Piet <b>Bold</b>',
    language: 'nl',
    plan: 'dedicated',
    server: 'db01',
  },
  {
    external_id: 'K-4',
    email: null,
    name: 'Zonder Mail',
    language: 'nl',
    plan: 'shared',
    server: 'web12',
  },
  {
    external_id: 'K-5',
    email: 'eve@example.com',
    name: 'Eve Adams',
    language: 'en',
    plan: 'vps',
    server: 'web99',
  },
];

export interface WorkspaceFixture {
  app: FastifyInstance;
  ctx: AppContext;
  clients: Record<string, WorkspaceClient>;
  close(): Promise<void>;
}

function response(r: {
  statusCode: number;
  body: string;
  headers: WorkspaceResponse['headers'];
}): WorkspaceResponse {
  const location = r.headers.location;
  return {
    status: r.statusCode,
    body: r.body,
    headers: r.headers,
    location: typeof location === 'string' ? location : undefined,
  };
}

/** Starts the app on a fresh database of the dialect with the users and the registry. */
export async function startWorkspace(dialect: Dialect): Promise<WorkspaceFixture> {
  const ctx = await createTestContext(dialect);
  const app = await buildApp(ctx);
  const admin = systemActor('test');
  const registry = CUSTOMERS.map((c) => JSON.stringify(c)).join('\n');
  const imported = await importCustomers(
    admin,
    Readable.from([`${registry}\n`]),
    { source: 'test', format: 'jsonl' },
    ctx.deps,
  );
  if (imported.rejected > 0) throw new Error('registry rows rejected');
  const sessionDeps = { database: ctx.database, workspace: ctx.config.workspace };
  const clients: Record<string, WorkspaceClient> = {};
  for (const u of USERS) {
    const { user } = await createUser(
      admin,
      {
        username: u.username,
        roles: u.roles,
        password: 'correct horse battery staple',
        language: u.language ?? 'en',
      },
      ctx.deps,
    );
    const token = await createSession(sessionDeps, user.id, 'full', {
      ip: '127.0.0.1',
      userAgent: 'test',
    });
    const resolved = await resolveSession(sessionDeps, token);
    const csrf = resolved!.csrfToken;
    const cookie = `${SESSION_COOKIE}=${token}`;
    clients[u.username] = {
      username: u.username,
      csrf,
      get: async (url) => response(await app.inject({ method: 'GET', url, headers: { cookie } })),
      post: async (url, form, options = {}) =>
        response(
          await app.inject({
            method: 'POST',
            url,
            headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams(
              options.csrf === false ? form : { ...form, _csrf: csrf },
            ).toString(),
          }),
        ),
      upload: async (url, file) => {
        const boundary = '----candortest';
        const payload =
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
          `Content-Type: text/csv\r\n\r\n${file.content}\r\n--${boundary}--\r\n`;
        const posted = await app.inject({
          method: 'POST',
          url: `${url}?_csrf=${encodeURIComponent(csrf)}`,
          headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
          payload,
        });
        if (posted.statusCode !== 303) return response(posted);
        // As a browser does: follow the redirect with the cookies the answer set.
        const set = ([] as string[]).concat(posted.headers['set-cookie'] ?? []);
        const extra = set.map((c) => c.split(';')[0]).join('; ');
        const followed = await app.inject({
          method: 'GET',
          url: String(posted.headers.location),
          headers: { cookie: extra ? `${cookie}; ${extra}` : cookie },
        });
        return { ...response(followed), via: response(posted) };
      },
    };
  }
  return {
    app,
    ctx,
    clients,
    close: async () => {
      await app.close();
      await ctx.close();
    },
  };
}

/** Markup with the formatting whitespace between tags gone, for readable assertions. */
export function flat(page: string): string {
  return page.replace(/>\s+</g, '><').replace(/\s+/g, ' ');
}

/** Decodes the few entities the html template writes, for text assertions. */
export function text(page: string): string {
  return flat(page)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** Creates a case through the workspace as `client`; returns its reference. */
export async function createCaseVia(
  client: WorkspaceClient,
  form: Record<string, string> = {},
): Promise<string> {
  const res = await client.post('/app/cases', {
    kind: 'incident',
    title: 'Break-in on the customer portal',
    summary: 'An attacker copied customer data.',
    'whatHappened.en': 'An attacker copied customer data.',
    'whatHappened.nl': 'Een aanvaller kopieerde klantgegevens.',
    awareAt: '2026-11-27T03:12',
    ...form,
  });
  if (res.status !== 303 || !res.location)
    throw new Error(`case not created: ${res.status} ${text(res.body).slice(0, 500)}`);
  return res.location.split('/').pop()!;
}
