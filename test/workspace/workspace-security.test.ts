import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAtStep, totpStep } from '../../src/domain/totp.js';
import { DIALECTS } from '../support/databases.js';
import {
  cookieHeader,
  createHarness,
  PASSWORD,
  type WorkspaceHarness,
} from './workspace-support.js';

function form(body: Record<string, string>) {
  return {
    payload: new URLSearchParams(body).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}

/** The code an authenticator app shows now for a base32 secret. */
export function currentCode(secret: string, offsetSteps = 0): string {
  return totpCodeAtStep(secret, totpStep(Date.now()) + offsetSteps);
}

describe.each(DIALECTS)('workspace security on %s', (dialect) => {
  let h: WorkspaceHarness;
  beforeAll(async () => {
    h = await createHarness(dialect, { requireTotpForAdmins: true });
    await h.addUser('lead', ['responder']);
    await h.addUser('viewer', ['viewer']);
    await h.addUser('root', ['admin']);
    await h.addUser('victim', ['responder']);
  });
  afterAll(() => h.close());

  it('sets the strict CSP and the usual security headers on every /app page', async () => {
    const page = await h.get('/app/login');
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('same-origin');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['permissions-policy']).toContain('camera=()');
    expect(page.headers['strict-transport-security']).toBeUndefined(); // http://localhost
    expect(page.body).not.toMatch(/style=|<style|<script>|onclick=/i);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie on /app and rotates it at every login', async () => {
    const first = await h.app.inject({
      method: 'POST',
      url: '/app/login',
      ...form({ username: 'lead', password: PASSWORD }),
    });
    const cookie = first.cookies.find((c) => c.name === 'candor_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.path).toBe('/app');
    expect(cookie.value).toMatch(/^[\w-]{43}$/);
    // The store holds only the hash.
    const stored = await h.ctx.database.db
      .selectFrom('workspace_sessions')
      .select('token_hash')
      .execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(cookie.value);
    // Logging in again from the same browser ends the old session and makes a new id.
    const second = await h.app.inject({
      method: 'POST',
      url: '/app/login',
      ...form({ username: 'lead', password: PASSWORD }),
      headers: { ...form({}).headers, cookie: `candor_session=${cookie.value}` },
    });
    const renewed = cookieHeader(second);
    expect(renewed).not.toBe(`candor_session=${cookie.value}`);
    expect((await h.get('/app', `candor_session=${cookie.value}`)).statusCode).toBe(303);
    expect((await h.get('/app', renewed)).statusCode).toBe(200);
  });

  it('refuses a state-changing request without or with a wrong CSRF token, and cross-site posts', async () => {
    const cookie = await h.login('lead');
    const without = await h.post('/app/preferences/language', { language: 'en' }, cookie, null);
    expect(without.statusCode).toBe(403);
    expect(without.body).toContain('Formulier verlopen');
    const wrong = await h.post(
      '/app/preferences/language',
      { language: 'en' },
      cookie,
      'x'.repeat(43),
    );
    expect(wrong.statusCode).toBe(403);
    const crossSite = await h.app.inject({
      method: 'POST',
      url: '/app/login',
      ...form({ username: 'lead', password: PASSWORD }),
      headers: { ...form({}).headers, origin: 'https://evil.example' },
    });
    expect(crossSite.statusCode).toBe(403);
    const withToken = await h.post(
      '/app/preferences/language',
      { language: 'en', next: '/app' },
      cookie,
    );
    expect(withToken.statusCode).toBe(303);
    const header = await h.app.inject({
      method: 'POST',
      url: '/app/preferences/language',
      ...form({ language: 'nl' }),
      headers: { ...form({}).headers, cookie, 'x-csrf-token': await h.csrfOf(cookie) },
    });
    expect(header.statusCode).toBe(303);
  });

  it('logs out: the session is gone from the store', async () => {
    const cookie = await h.login('lead');
    const out = await h.post('/app/logout', {}, cookie);
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/app/login');
    expect((await h.get('/app', cookie)).statusCode).toBe(303);
  });

  it('ends a session after the idle timeout and after its absolute lifetime', async () => {
    const idle = await h.login('lead');
    const token = idle.split('=')[1]!;
    const { hashSessionToken } = await import('../../src/services/access/session.service.js');
    await h.ctx.database.db
      .updateTable('workspace_sessions')
      .set({
        last_seen_at: new Date(Date.now() - h.ctx.config.workspace.idleMs - 1000).toISOString(),
      })
      .where('token_hash', '=', hashSessionToken(token))
      .execute();
    expect((await h.get('/app', idle)).statusCode).toBe(303);
    const old = await h.login('lead');
    await h.ctx.database.db
      .updateTable('workspace_sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('token_hash', '=', hashSessionToken(old.split('=')[1]!))
      .execute();
    expect((await h.get('/app', old)).statusCode).toBe(303);
  });

  it('checks roles on the server: a viewer gets 403 on users, on settings and on posts there', async () => {
    const cookie = await h.login('viewer');
    const users = await h.get('/app/users', cookie);
    expect(users.statusCode).toBe(403);
    expect(users.body).toContain('Geen toegang');
    const post = await h.post('/app/users/lead/disable', {}, cookie);
    expect(post.statusCode).toBe(403);
    // The nav does not offer what the role cannot open.
    const dashboard = await h.get('/app', cookie);
    expect(dashboard.body).not.toContain('href="/app/users"');
  });

  it('locks out (user, address) after repeated failures, but not the same user elsewhere', async () => {
    const attempt = (ip: string, password: string) =>
      h.app.inject({
        method: 'POST',
        url: '/app/login',
        remoteAddress: ip,
        ...form({ username: 'victim', password }),
      });
    for (let i = 0; i < 5; i++)
      expect((await attempt('203.0.113.9', 'wrong')).statusCode).toBe(401);
    const locked = await attempt('203.0.113.9', 'wrong');
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBeDefined();
    // Even the right password is refused from the attacker's address while locked …
    expect((await attempt('203.0.113.9', PASSWORD)).statusCode).toBe(429);
    // … while the real user at their own address logs in.
    expect((await attempt('198.51.100.7', PASSWORD)).statusCode).toBe(303);
    // And the lock ends: it is capped (15 min) and here only a few seconds.
    const row = await h.ctx.database.db
      .selectFrom('login_throttle')
      .selectAll()
      .where('key', '=', 'password:victim|203.0.113.9')
      .executeTakeFirstOrThrow();
    expect(Date.parse(row.locked_until!) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
  });

  it('makes an admin enrol TOTP after the password, then asks for a code at every login', async () => {
    const login = await h.app.inject({
      method: 'POST',
      url: '/app/login',
      ...form({ username: 'root', password: PASSWORD }),
    });
    expect(login.headers.location).toBe('/app/account/totp');
    const pending = cookieHeader(login);
    // Half logged in: nothing else opens.
    expect((await h.get('/app/users', pending)).headers.location).toBe('/app/account/totp');
    const enrol = await h.get('/app/account/totp', pending);
    expect(enrol.statusCode).toBe(200);
    expect(enrol.body).toContain('<svg');
    const secret = /data-totp-secret>([A-Z2-7]+)</.exec(enrol.body)![1]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(enrol.body)![1]!;
    const bad = await h.post('/app/account/totp', { code: '000000' }, pending, csrf);
    expect(bad.statusCode).toBe(422);
    const confirmed = await h.post(
      '/app/account/totp',
      { code: currentCode(secret) },
      pending,
      csrf,
    );
    expect(confirmed.statusCode).toBe(200); // the recovery codes, shown once
    expect(confirmed.body.match(/data-recovery-code/g)).toHaveLength(10);
    const full = cookieHeader(confirmed);
    expect(full).not.toBe(pending);
    expect((await h.get('/app/users', full)).statusCode).toBe(200);

    // Next login: password, then the code; a used code does not work twice.
    const again = await h.app.inject({
      method: 'POST',
      url: '/app/login',
      ...form({ username: 'root', password: PASSWORD }),
    });
    expect(again.headers.location).toBe('/app/login/totp?next=%2Fapp');
    const half = cookieHeader(again);
    const page = await h.get('/app/login/totp', half);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const reused = await h.post('/app/login/totp', { code: currentCode(secret) }, half, token);
    expect(reused.statusCode).toBe(401);
    const next = await h.post('/app/login/totp', { code: currentCode(secret, 1) }, half, token);
    expect(next.statusCode).toBe(303);
    expect((await h.get('/app', cookieHeader(next))).statusCode).toBe(200);
  });

  it('lets an admin reset a user’s second factor; the audit log records it', async () => {
    const { resetTotp } = await import('../../src/services/access/totp.service.js');
    const { systemActor } = await import('../../src/domain/access.js');
    expect(
      await resetTotp(systemActor('test'), 'root', {
        database: h.ctx.database,
        secret: h.ctx.deps.secret,
      }),
    ).toBe(true);
    const login = await h.app.inject({
      method: 'POST',
      url: '/app/login',
      ...form({ username: 'root', password: PASSWORD }),
    });
    expect(login.headers.location).toBe('/app/account/totp');
    const audit = await h.ctx.database.db.selectFrom('audit_events').select('action').execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['session.login', 'user.totp-reset']),
    );
  });
});

describe('workspace behind https', () => {
  let h: WorkspaceHarness;
  beforeAll(async () => {
    h = await createHarness(
      'sqlite',
      { requireTotpForAdmins: false },
      { publicUrl: 'https://candor.example' },
    );
    await h.addUser('lead', ['responder']);
  });
  afterAll(() => h.close());

  it('marks the session cookie Secure and sends HSTS', async () => {
    const login = await h.app.inject({
      method: 'POST',
      url: '/app/login',
      ...form({ username: 'lead', password: PASSWORD }),
    });
    const cookie = login.cookies.find((c) => c.name === 'candor_session')!;
    expect(cookie.secure).toBe(true);
    expect(login.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    // A post from the public origin passes the origin check; another origin does not.
    const cookieHeaderValue = `candor_session=${cookie.value}`;
    const token = await h.csrfOf(cookieHeaderValue);
    const post = (origin: string) =>
      h.app.inject({
        method: 'POST',
        url: '/app/preferences/language',
        ...form({ language: 'en', _csrf: token }),
        headers: { ...form({}).headers, cookie: cookieHeaderValue, origin },
      });
    expect((await post('https://candor.example')).statusCode).toBe(303);
    expect((await post('https://candor.example.evil')).statusCode).toBe(403);
  });

  it('requires TOTP for admins by default when the public URL is https', async () => {
    const { loadConfig } = await import('../../src/config.js');
    expect(
      loadConfig({ CANDOR_PUBLIC_URL: 'https://x.example' }).workspace.requireTotpForAdmins,
    ).toBe(true);
    expect(loadConfig({}).workspace.requireTotpForAdmins).toBe(false);
    expect(
      loadConfig({
        CANDOR_PUBLIC_URL: 'https://x.example',
        CANDOR_REQUIRE_TOTP_FOR_ADMINS: 'false',
      }).workspace.requireTotpForAdmins,
    ).toBe(false);
    expect(() => loadConfig({ CANDOR_TIME_ZONE: 'Mars/Olympus' })).toThrow(/CANDOR_TIME_ZONE/);
  });
});
