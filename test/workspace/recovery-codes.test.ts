import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { totpCodeAtStep, totpStep } from '../../src/domain/totp.js';
import {
  hashRecoveryCode,
  looksLikeRecoveryCode,
  normaliseRecoveryCode,
} from '../../src/services/access/recovery-code.service.js';
import { resetTotp } from '../../src/services/access/totp.service.js';
import { DIALECTS } from '../support/databases.js';
import {
  cookieHeader,
  createHarness,
  PASSWORD,
  type WorkspaceHarness,
} from './workspace-support.js';

/** The code an authenticator app shows now for a base32 secret. */
const currentCode = (secret: string) => totpCodeAtStep(secret, totpStep(Date.now()));

describe('recovery code shape and hashing', () => {
  it('tells a recovery code from a TOTP code and normalises what people type', () => {
    expect(looksLikeRecoveryCode('abcde-fghjk')).toBe(true);
    expect(looksLikeRecoveryCode(' ABCDE FGHJK ')).toBe(true);
    expect(looksLikeRecoveryCode('123456')).toBe(false);
    expect(looksLikeRecoveryCode('abcde-fghj0')).toBe(false); // 0 is not in the alphabet
    expect(normaliseRecoveryCode('AbCdE-fGhJk')).toBe('abcdefghjk');
  });

  it('hashes with a key from the installation secret: another key, another hash', () => {
    const a = hashRecoveryCode(Buffer.from('a'.repeat(32)), 'abcde-fghjk');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode(Buffer.from('a'.repeat(32)), 'ABCDEFGHJK')).toBe(a);
    expect(hashRecoveryCode(Buffer.from('b'.repeat(32)), 'abcde-fghjk')).not.toBe(a);
  });
});

describe.each(DIALECTS)('TOTP recovery codes on %s', (dialect) => {
  let h: WorkspaceHarness;
  let codes: string[];
  let userId: number;
  beforeAll(async () => {
    h = await createHarness(dialect, { requireTotpForAdmins: false });
    userId = await h.addUser('lead', ['responder']);
  });
  afterAll(() => h.close());

  /** Password step; returns the half-logged-in cookie and the code page's CSRF token. */
  async function passwordStep(ip = '127.0.0.1') {
    const response = await h.app.inject({
      method: 'POST',
      url: '/app/login',
      remoteAddress: ip,
      payload: new URLSearchParams({ username: 'lead', password: PASSWORD }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.headers.location).toBe('/app/login/totp?next=%2Fapp');
    const half = cookieHeader(response);
    const page = await h.get('/app/login/totp', half);
    return { half, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! };
  }

  function codeStep(half: string, csrf: string, code: string, ip = '127.0.0.1') {
    return h.app.inject({
      method: 'POST',
      url: '/app/login/totp',
      remoteAddress: ip,
      payload: new URLSearchParams({ code, _csrf: csrf }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: half },
    });
  }

  it('shows ten codes once at enrolment and stores only keyed hashes', async () => {
    const cookie = await h.login('lead');
    const enrol = await h.get('/app/account/totp', cookie);
    const secret = /data-totp-secret>([A-Z2-7]+)</.exec(enrol.body)![1]!;
    const confirmed = await h.post('/app/account/totp', { code: currentCode(secret) }, cookie);
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.headers['cache-control']).toContain('no-store');
    codes = [...confirmed.body.matchAll(/data-recovery-code>([a-z2-9-]+)</g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const rows = await h.ctx.database.db
      .selectFrom('user_recovery_codes')
      .selectAll()
      .where('user_id', '=', userId)
      .execute();
    expect(rows).toHaveLength(10);
    const stored = JSON.stringify(rows);
    for (const c of codes) {
      expect(stored).not.toContain(c);
      expect(stored).not.toContain(normaliseRecoveryCode(c));
    }
    expect(rows.map((r) => r.code_hash).sort()).toEqual(
      codes.map((c) => hashRecoveryCode(h.ctx.deps.secret, c)).sort(),
    );
    // Not shown again: the account page does not list them.
    expect((await h.get('/app/account', cookie)).body).not.toContain(codes[0]!);
  });

  it('logs in with a recovery code instead of the TOTP code, once; typed loosely is fine', async () => {
    const first = await passwordStep();
    const ok = await codeStep(first.half, first.csrf, ` ${codes[0]!.toUpperCase()} `);
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/app');
    const full = cookieHeader(ok);
    expect((await h.get('/app', full)).statusCode).toBe(200);
    const flashCookie = ok.cookies.find((c) => c.name === 'candor_flash')!;
    const page = await h.get('/app', `${full}; candor_flash=${flashCookie.value}`);
    expect(page.body).toContain('herstelcode; nog 9 over');
    const audit = await h.ctx.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('action', '=', 'session.login')
      .execute();
    expect(JSON.stringify(audit)).toContain('password+recovery-code');

    // The same code a second time: refused.
    const second = await passwordStep();
    expect((await codeStep(second.half, second.csrf, codes[0]!)).statusCode).toBe(401);
    // Another one works.
    expect((await codeStep(second.half, second.csrf, codes[1]!)).statusCode).toBe(303);
  });

  it('throttles wrong recovery codes like wrong TOTP codes', async () => {
    const ip = '203.0.113.9';
    const { half, csrf } = await passwordStep(ip);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await codeStep(half, csrf, 'aaaaa-aaaaa', ip)).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429);
    // While locked, even a good code is refused (no oracle), and it stays unused.
    expect((await codeStep(half, csrf, codes[2]!, ip)).statusCode).toBe(429);
    const unused = await h.ctx.database.db
      .selectFrom('user_recovery_codes')
      .select('code_hash')
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .execute();
    expect(unused).toHaveLength(8);
  });

  it('lets two racing requests use one code only once', async () => {
    const a = await passwordStep();
    const b = await passwordStep();
    const results = await Promise.all([
      codeStep(a.half, a.csrf, codes[3]!),
      codeStep(b.half, b.csrf, codes[3]!),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([303, 401]);
  });

  it('drops the codes when the second factor is reset', async () => {
    await resetTotp(systemActor('test'), 'lead', {
      database: h.ctx.database,
      secret: h.ctx.deps.secret,
    });
    const left = await h.ctx.database.db
      .selectFrom('user_recovery_codes')
      .select('code_hash')
      .where('user_id', '=', userId)
      .execute();
    expect(left).toHaveLength(0);
  });
});
