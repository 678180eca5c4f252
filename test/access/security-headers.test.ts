import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { createApiToken } from '../../src/services/access/user.service.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';

describe.each(DIALECTS)('security headers outside the workspace on %s', (dialect) => {
  let plain: WorkspaceHarness;
  let https: WorkspaceHarness;
  let proxied: WorkspaceHarness;
  let bearer: string;

  beforeAll(async () => {
    plain = await createHarness(dialect);
    https = await createHarness(dialect, {}, { publicUrl: 'https://candor.example' });
    proxied = await createHarness(dialect, {}, { trustProxy: ['127.0.0.1'] });
    await plain.addUser('ada', ['admin']);
    const { token } = await createApiToken(
      systemActor('test'),
      'ada',
      { label: 'test' },
      plain.ctx.deps,
    );
    bearer = `Bearer ${token}`;
  });
  afterAll(async () => {
    await plain.close();
    await https.close();
    await proxied.close();
  });

  it('answers /favicon.ico with an icon, cached and revalidated', async () => {
    const res = await plain.app.inject({ url: '/favicon.ico' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/x-icon');
    expect(res.rawPayload.subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    expect(res.headers['cache-control']).toContain('max-age');
    const again = await plain.app.inject({
      url: '/favicon.ico',
      headers: { 'if-none-match': String(res.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it('gives the API reference page a CSP, no framing and nosniff', async () => {
    for (const url of ['/api/docs', '/api/docs/static/swagger-ui-bundle.js']) {
      const res = await plain.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('marks API answers no-store and nosniff, errors included', async () => {
    const me = await plain.app.inject({
      url: '/api/v1/customers',
      headers: { authorization: bearer },
    });
    expect(me.statusCode).toBe(200);
    expect(me.headers['cache-control']).toBe('no-store');
    expect(me.headers['x-content-type-options']).toBe('nosniff');
    const refused = await plain.app.inject({ url: '/api/v1/customers' });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['cache-control']).toBe('no-store');
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends HSTS on every response when the public URL is https', async () => {
    for (const url of ['/healthz', '/security', '/api/v1/me', '/api/docs', '/nope', '/app/login']) {
      const res = await https.app.inject({ url });
      expect(res.headers['strict-transport-security'], url).toBe(
        'max-age=31536000; includeSubDomains',
      );
    }
  });

  it('sends HSTS when a trusted proxy says https, and not over plain http', async () => {
    const viaProxy = await proxied.app.inject({
      url: '/healthz',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(viaProxy.headers['strict-transport-security']).toBeDefined();
    const direct = await proxied.app.inject({ url: '/healthz' });
    expect(direct.headers['strict-transport-security']).toBeUndefined();
    const forged = await plain.app.inject({
      url: '/healthz',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(forged.headers['strict-transport-security']).toBeUndefined();
  });
});
