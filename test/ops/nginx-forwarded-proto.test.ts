import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HSTS } from '../../src/http/security-headers.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';

/**
 * HSTS on the cached public pages over a real socket (app.inject skips the fast path that
 * answers them ahead of Fastify). nginx-proxy.test.ts covers an https public URL; here the
 * public URL is http and only the trusted proxy's `X-Forwarded-Proto: https` says a request
 * came over TLS, which the fast path cannot judge: such requests take Fastify's route.
 */
describe.each(DIALECTS)('HSTS on cached public pages behind a proxy on %s', (dialect) => {
  let trusted: WorkspaceHarness;
  let untrusted: WorkspaceHarness;
  const base = (h: WorkspaceHarness) =>
    `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;

  beforeAll(async () => {
    const publicUrl = 'http://candor.test';
    trusted = await createHarness(dialect, {}, { publicUrl, trustProxy: ['127.0.0.1'] });
    untrusted = await createHarness(dialect, {}, { publicUrl, trustProxy: ['10.0.0.1'] });
    for (const h of [trusted, untrusted]) await h.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await trusted?.close();
    await untrusted?.close();
  });

  const get = (h: WorkspaceHarness, headers: Record<string, string> = {}) =>
    fetch(`${base(h)}/security`, { headers });

  it('sends HSTS when the trusted proxy says https, on a fresh answer and on a 304', async () => {
    const page = await get(trusted, { 'x-forwarded-proto': 'https' });
    expect(page.status).toBe(200);
    expect(page.headers.get('strict-transport-security')).toBe(HSTS);
    const again = await get(trusted, {
      'x-forwarded-proto': 'https',
      'if-none-match': page.headers.get('etag') ?? '',
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('strict-transport-security')).toBe(HSTS);
  });

  it('sends none over plain http, nor when an untrusted peer claims https', async () => {
    const plain = await get(trusted);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    const forged = await get(untrusted, { 'x-forwarded-proto': 'https' });
    expect(forged.status).toBe(200);
    expect(forged.headers.get('strict-transport-security')).toBeNull();
  });
});
