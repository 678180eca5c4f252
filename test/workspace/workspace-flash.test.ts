import { signerFactory } from '@fastify/cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieSigningSecret } from '../../src/http/workspace/cookie-secret.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from './workspace-support.js';

/** The flash message travels in a signed cookie: a planted or altered one shows nothing. */
describe.each(DIALECTS)('signed flash cookie on %s', (dialect) => {
  let h: WorkspaceHarness;
  let admin: string;
  beforeAll(async () => {
    h = await createHarness(dialect, { requireTotpForAdmins: false });
    await h.addUser('boss', ['admin']);
    await h.addUser('petra', ['viewer']);
    admin = await h.login('boss');
  });
  afterAll(() => h.close());

  const encode = (kind: string, text: string) =>
    Buffer.from(JSON.stringify([kind, text]), 'utf8').toString('base64url');
  const withFlash = (value: string) => `${admin}; candor_flash=${value}`;
  const flashOf = (body: string) => /class="flash[^"]*"[^>]*>([\s\S]*?)<\/div>/.exec(body)?.[1];

  it('shows the message the server set, once', async () => {
    const saved = await h.post('/app/users/petra/disable', {}, admin);
    expect(saved.statusCode).toBe(303);
    const cookie = saved.cookies.find((c) => c.name === 'candor_flash')!;
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_+/=-]+$/); // value.signature
    expect(cookie.httpOnly).toBe(true);
    const page = await h.get('/app/users', withFlash(cookie.value));
    expect(flashOf(page.body)).toContain('Gebruiker uitgeschakeld.');
    // Shown once: the page clears the cookie.
    const cleared = page.cookies.find((c) => c.name === 'candor_flash');
    expect(cleared?.value).toBe('');
  });

  it('ignores a planted unsigned cookie, a forged signature and another key’s signature', async () => {
    const lie = encode('error', 'Uw account is gehackt: bel 0900-OPLICHTER');
    const planted = await h.get('/app', withFlash(lie));
    expect(planted.statusCode).toBe(200);
    expect(planted.body).not.toContain('0900-OPLICHTER');
    expect(flashOf(planted.body)).toBeUndefined();
    // Such a cookie is cleared too, so it does not linger.
    expect(planted.cookies.find((c) => c.name === 'candor_flash')?.value).toBe('');

    const forged = await h.get('/app', withFlash(`${lie}.${'A'.repeat(43)}`));
    expect(forged.body).not.toContain('0900-OPLICHTER');

    const otherKey = signerFactory(cookieSigningSecret(Buffer.from('some other installation')));
    const foreign = await h.get('/app', withFlash(otherKey.sign(lie)));
    expect(foreign.body).not.toContain('0900-OPLICHTER');

    // The same text signed with this installation's key would show: the key is what counts.
    const ours = signerFactory(cookieSigningSecret(h.ctx.deps.secret));
    const genuine = await h.get('/app', withFlash(ours.sign(encode('info', 'Echt bericht'))));
    expect(flashOf(genuine.body)).toContain('Echt bericht');

    // A signed value swapped onto another signature fails as well.
    const [, signature] = ours.sign(encode('info', 'Echt bericht')).split('.');
    const swapped = await h.get('/app', withFlash(`${lie}.${signature}`));
    expect(swapped.body).not.toContain('0900-OPLICHTER');
  });
});
