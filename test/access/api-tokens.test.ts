import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { parseTokenLifetime } from '../../src/domain/user.js';
import { hashToken } from '../../src/lib/secrets.js';
import { resetTotp } from '../../src/services/access/totp.service.js';
import { resetPassword, setUserDisabled } from '../../src/services/access/user-admin.service.js';
import { createApiToken } from '../../src/services/access/user.service.js';
import { readJson, jsonObject } from '../../src/store/executor.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';

describe('token lifetimes', () => {
  it('reads days and names the problem otherwise', () => {
    expect(parseTokenLifetime('90d')).toBe(90);
    expect(parseTokenLifetime(' 1d ')).toBe(1);
    expect(parseTokenLifetime('30')).toBe(30);
    expect(() => parseTokenLifetime('0d')).toThrow(/expires/);
    expect(() => parseTokenLifetime('3651d')).toThrow(/expires/);
    expect(() => parseTokenLifetime('two weeks')).toThrow(/expires/);
  });
});

/** API tokens: list, revoke, expiry, last use, and what resets and disabling do to them. */
describe.each(DIALECTS)('API tokens on %s', (dialect) => {
  let h: WorkspaceHarness;
  let admin: string;
  const actor = systemActor('test');

  beforeAll(async () => {
    h = await createHarness(dialect, { requireTotpForAdmins: false });
    await h.addUser('boss', ['admin']);
    await h.addUser('vera', ['viewer']);
    await h.addUser('sam', ['responder']);
    admin = await h.login('boss');
  });
  afterAll(() => h.close());

  const issue = async (username: string, label = 'ci', expiresInDays?: number) =>
    (await createApiToken(actor, username, { label, expiresInDays }, h.ctx.deps)).token;
  const me = (token: string) =>
    h.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
  const api = (token: string, method: 'GET' | 'DELETE', url: string) =>
    h.app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
  const tokenRow = (token: string) =>
    h.ctx.database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirstOrThrow();
  const auditOf = (action: string) =>
    h.ctx.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', action)
      .orderBy('seq')
      .execute();

  it('lists your own tokens over the API and lets you revoke one; it is refused at once', async () => {
    const laptop = await issue('vera', 'laptop', 90);
    const other = await issue('vera', 'other');
    expect((await me(laptop)).statusCode).toBe(200);
    const list = await api(other, 'GET', '/api/v1/tokens');
    expect(list.statusCode).toBe(200);
    const views = list.json<
      {
        id: number;
        label: string;
        prefix: string;
        createdAt: string;
        lastUsedAt: string | null;
        expiresAt: string | null;
        revoked: boolean;
        username: string;
      }[]
    >();
    const shown = views.find((v) => v.label === 'laptop')!;
    expect(laptop.startsWith(shown.prefix)).toBe(true);
    expect(shown.username).toBe('vera');
    expect(shown.lastUsedAt).not.toBeNull();
    expect(Date.parse(shown.expiresAt!) - Date.parse(shown.createdAt)).toBe(90 * 86_400_000);
    expect(JSON.stringify(views)).not.toContain(laptop);

    const revoked = await api(other, 'DELETE', `/api/v1/tokens/${shown.id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id: shown.id, revoked: true });
    expect((await me(laptop)).statusCode).toBe(401);
    expect((await me(other)).statusCode).toBe(200);
    const audit = await auditOf('token.revoke');
    expect(readJson(audit.at(-1)!.details, jsonObject)).toMatchObject({
      tokenId: shown.id,
      label: 'laptop',
    });
  });

  it("refuses to show or revoke another user's token, except to an admin", async () => {
    const samToken = await issue('sam', 'sam-ci');
    const veraToken = await issue('vera', 'vera-ci');
    const bossToken = await issue('boss', 'boss-ci');
    const samId = Number((await tokenRow(samToken)).id);
    expect((await api(veraToken, 'DELETE', `/api/v1/tokens/${samId}`)).statusCode).toBe(404);
    expect((await api(veraToken, 'GET', '/api/v1/users/sam/tokens')).statusCode).toBe(403);
    const listed = await api(bossToken, 'GET', '/api/v1/users/sam/tokens');
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ id: number }[]>().map((v) => v.id)).toContain(samId);
    expect((await me(samToken)).statusCode).toBe(200);
    expect((await api(bossToken, 'DELETE', `/api/v1/tokens/${samId}`)).statusCode).toBe(200);
    expect((await me(samToken)).statusCode).toBe(401);
    expect((await api(bossToken, 'DELETE', '/api/v1/tokens/999999')).statusCode).toBe(404);
  });

  it('records the last use at most once a minute', async () => {
    const token = await issue('vera', 'touch');
    expect((await tokenRow(token)).last_used_at).toBeNull();
    await me(token);
    const first = (await tokenRow(token)).last_used_at!;
    expect(first).not.toBeNull();
    const thirtySecondsAgo = new Date(Date.now() - 30_000).toISOString();
    const twoMinutesAgo = new Date(Date.now() - 120_000).toISOString();
    const setUsed = (at: string) =>
      h.ctx.database.db
        .updateTable('api_tokens')
        .set({ last_used_at: at })
        .where('token_hash', '=', hashToken(token))
        .execute();
    await setUsed(thirtySecondsAgo);
    await me(token);
    expect(Date.parse((await tokenRow(token)).last_used_at!)).toBe(Date.parse(thirtySecondsAgo));
    await setUsed(twoMinutesAgo);
    await me(token);
    expect(Date.parse((await tokenRow(token)).last_used_at!)).toBeGreaterThan(Date.now() - 10_000);
  });

  it('revokes the tokens at a password reset unless told to keep them', async () => {
    const a = await issue('sam', 'before-reset');
    await resetPassword(actor, 'sam', undefined, h.ctx.deps);
    expect((await me(a)).statusCode).toBe(401);
    expect((await tokenRow(a)).revoked_at).not.toBeNull();
    const audit = await auditOf('user.password-reset');
    expect(readJson(audit.at(-1)!.details, jsonObject)).toMatchObject({ tokensRevoked: 1 });
    const b = await issue('sam', 'kept');
    await resetPassword(actor, 'sam', undefined, h.ctx.deps, { keepTokens: true });
    expect((await me(b)).statusCode).toBe(200);
  });

  it('revokes the tokens at a second-factor reset unless told to keep them', async () => {
    const deps = { database: h.ctx.database, secret: h.ctx.deps.secret };
    const a = await issue('sam', 'before-totp-reset');
    const active = await h.ctx.database.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select('api_tokens.id')
      .where('users.username', '=', 'sam')
      .where('revoked_at', 'is', null)
      .execute();
    expect(active.length).toBeGreaterThan(1); // the one kept at the password reset, too
    await resetTotp(actor, 'sam', deps);
    expect((await me(a)).statusCode).toBe(401);
    const audit = await auditOf('user.totp-reset');
    expect(readJson(audit.at(-1)!.details, jsonObject)).toMatchObject({
      tokensRevoked: active.length,
    });
    const b = await issue('sam', 'kept-2fa');
    await resetTotp(actor, 'sam', deps, { keepTokens: true });
    expect((await me(b)).statusCode).toBe(200);
  });

  it('does not revive old tokens when a disabled user is enabled again', async () => {
    const old = await issue('sam', 'before-disable');
    await setUserDisabled(actor, 'sam', true, h.ctx.deps);
    expect((await me(old)).statusCode).toBe(401);
    await setUserDisabled(actor, 'sam', false, h.ctx.deps);
    expect((await me(old)).statusCode).toBe(401);
    const fresh = await issue('sam', 'after-enable');
    expect((await me(fresh)).statusCode).toBe(200);
  });

  it('refuses an expired token', async () => {
    const token = await issue('vera', 'short', 1);
    await h.ctx.database.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('token_hash', '=', hashToken(token))
      .execute();
    expect((await me(token)).statusCode).toBe(401);
  });

  it('lists, creates with an expiry and revokes tokens on the users screen, with CSRF', async () => {
    const users = await h.get('/app/users', admin);
    expect(users.body).toContain('href="/app/users/vera/tokens"');
    const token = await issue('vera', 'screen <b>label</b>');
    const id = Number((await tokenRow(token)).id);
    const page = await h.get('/app/users/vera/tokens', admin);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('screen &lt;b&gt;label&lt;/b&gt;');
    expect(page.body).toContain(token.slice(0, 12));
    expect(page.body).toContain(`action="/app/users/vera/tokens/${id}/revoke"`);
    expect(page.body).not.toContain(token);

    const noCsrf = await h.post(`/app/users/vera/tokens/${id}/revoke`, {}, admin, null);
    expect(noCsrf.statusCode).toBe(403);
    expect((await me(token)).statusCode).toBe(200);
    const done = await h.post(`/app/users/vera/tokens/${id}/revoke`, {}, admin);
    expect(done.statusCode).toBe(303);
    expect((await me(token)).statusCode).toBe(401);

    const created = await h.post(
      '/app/users/vera/tokens',
      { label: 'deploy', expiresInDays: '30' },
      admin,
    );
    expect(created.statusCode).toBe(200);
    const shown = /data-token>(cnd_[\w-]+)</.exec(created.body)![1]!;
    expect((await me(shown)).statusCode).toBe(200);
    const row = await tokenRow(shown);
    expect(Date.parse(row.expires_at!) - Date.parse(row.created_at)).toBe(30 * 86_400_000);
    const bad = await h.post('/app/users/vera/tokens', { label: 'x', expiresInDays: '0' }, admin);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('expiresInDays');
  });

  it('lets the admin keep the tokens at a password reset on the users screen', async () => {
    const users = await h.get('/app/users', admin);
    expect(users.body).toContain('name="keepTokens"');
    const a = await issue('vera', 'reset-default');
    expect((await h.post('/app/users/vera/password', {}, admin)).statusCode).toBe(200);
    expect((await me(a)).statusCode).toBe(401);
    const b = await issue('vera', 'reset-keep');
    expect((await h.post('/app/users/vera/password', { keepTokens: '1' }, admin)).statusCode).toBe(
      200,
    );
    expect((await me(b)).statusCode).toBe(200);
  });

  it('lets everyone list, create and revoke their own tokens under My account', async () => {
    await h.addUser('wim', ['viewer']);
    const wim = await h.login('wim');
    expect((await h.get('/app/account', wim)).body).toContain('href="/app/account/tokens"');
    const mine = await issue('wim', 'mine');
    const theirs = await issue('sam', 'theirs');
    const page = await h.get('/app/account/tokens', wim);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(mine.slice(0, 12));
    expect(page.body).not.toContain(theirs.slice(0, 12));
    const theirId = Number((await tokenRow(theirs)).id);
    const refused = await h.post(`/app/account/tokens/${theirId}/revoke`, {}, wim);
    expect(refused.statusCode).toBe(404);
    expect((await me(theirs)).statusCode).toBe(200);
    const mineId = Number((await tokenRow(mine)).id);
    const done = await h.post(`/app/account/tokens/${mineId}/revoke`, {}, wim);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/app/account/tokens');
    expect((await me(mine)).statusCode).toBe(401);
    const created = await h.post('/app/account/tokens', { label: 'own', expiresInDays: '7' }, wim);
    expect(created.statusCode).toBe(200);
    const shown = /data-token>(cnd_[\w-]+)</.exec(created.body)![1]!;
    expect((await me(shown)).json()).toMatchObject({ name: 'wim' });
  });
});
