import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { systemActor } from '../../src/domain/access.js';
import { listAudit } from '../../src/services/access/audit.service.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, PASSWORD, type WorkspaceHarness } from '../workspace/workspace-support.js';

/*
 * Behind a proxy, the address the throttles and the audit log see must be the one the
 * configured proxy vouches for. light-my-request's `remoteAddress` plays the TCP peer.
 */

const PROXY = '127.0.0.1';
const REAL_CLIENT = '198.51.100.9';

function loginForm(username: string, password: string): string {
  return new URLSearchParams({ username, password }).toString();
}

describe.each(DIALECTS)('trusted proxies on %s', (dialect) => {
  let trusted: WorkspaceHarness;
  let untrusted: WorkspaceHarness;
  let n = 0;

  beforeAll(async () => {
    trusted = await createHarness(dialect, {}, { trustProxy: [PROXY] });
    // The proxy is said to be 10.0.0.1; requests come from 127.0.0.1, which is not it.
    untrusted = await createHarness(dialect, {}, { trustProxy: ['10.0.0.1'] });
    for (const h of [trusted, untrusted]) await h.addUser('ada', ['admin']);
  });
  afterAll(async () => {
    await trusted.close();
    await untrusted.close();
  });

  function login(h: WorkspaceHarness, password: string, forwardedFor?: string) {
    return h.app.inject({
      method: 'POST',
      url: '/app/login',
      remoteAddress: PROXY,
      payload: loginForm('ada', password),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
      },
    });
  }

  async function lastLoginSource(h: WorkspaceHarness): Promise<string> {
    const entries = await listAudit(systemActor('test'), h.ctx.database, { limit: 50 });
    const login = entries.find((e) => e.action === 'session.login');
    if (!login) throw new Error('no login in the audit log');
    return login.source;
  }

  it('attributes a request to the address a trusted proxy forwarded, in the audit log too', async () => {
    const res = await login(trusted, PASSWORD, REAL_CLIENT);
    expect(res.statusCode).toBe(303);
    expect(await lastLoginSource(trusted)).toContain(REAL_CLIENT);
  });

  it('takes the address the trusted proxy appended, not one the client put before it', async () => {
    const res = await login(trusted, PASSWORD, `203.0.113.66, ${REAL_CLIENT}`);
    expect(res.statusCode).toBe(303);
    const source = await lastLoginSource(trusted);
    expect(source).toContain(REAL_CLIENT);
    expect(source).not.toContain('203.0.113.66');
  });

  it('ignores X-Forwarded-For from a peer that is not a configured proxy', async () => {
    const res = await login(untrusted, PASSWORD, '203.0.113.66');
    expect(res.statusCode).toBe(303);
    const source = await lastLoginSource(untrusted);
    expect(source).toContain(PROXY);
    expect(source).not.toContain('203.0.113.66');
  });

  it.each([
    ['through the trusted proxy', () => trusted, (forged: string) => `${forged}, ${REAL_CLIENT}`],
    ['from an untrusted peer', () => untrusted, (forged: string) => forged],
  ])(
    'does not let rotating forged X-Forwarded-For values past the login throttle %s',
    async (_name, harness, header) => {
      const h = harness();
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await login(h, `wrong-${i}`, header(`192.0.2.${++n}`));
        statuses.push(res.statusCode);
      }
      // Policy: a few free failures, then a lock (login-throttle.service.ts).
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
    },
  );

  it('does not let rotating forged X-Forwarded-For values past the /n/ miss limiter', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const res = await untrusted.app.inject({
        url: `/n/${'A'.repeat(43)}`,
        remoteAddress: PROXY,
        headers: { 'x-forwarded-for': `192.0.2.${++n}` },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

  it('believes X-Forwarded-Proto only from a trusted proxy (HSTS on /app)', async () => {
    const ask = (h: WorkspaceHarness) =>
      h.app.inject({
        url: '/app/login',
        remoteAddress: PROXY,
        headers: { 'x-forwarded-proto': 'https' },
      });
    expect((await ask(trusted)).headers['strict-transport-security']).toContain('max-age');
    expect((await ask(untrusted)).headers['strict-transport-security']).toBeUndefined();
  });
});

describe('CANDOR_TRUST_PROXY', () => {
  it('is off by default and takes a list of addresses, CIDR ranges and named ranges', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ CANDOR_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(
      loadConfig({ CANDOR_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback' }).trustProxy,
    ).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback']);
  });

  it.each([
    ['true', 'would trust every hop'],
    ['1', 'hop count'],
    ['0.0.0.0/0', 'is not an address'],
    ['10.0.0.0/33', 'is not an address'],
    ['proxy.example', 'is not an address'],
  ])('refuses %s with a message naming the setting', (value, message) => {
    let error: unknown;
    try {
      loadConfig({ CANDOR_TRUST_PROXY: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toContain('CANDOR_TRUST_PROXY');
    expect(String((error as Error).message)).toContain(message);
  });
});
