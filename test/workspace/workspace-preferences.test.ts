import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from './workspace-support.js';

describe.each(DIALECTS)('workspace preferences on %s', (dialect) => {
  let h: WorkspaceHarness;
  beforeAll(async () => {
    h = await createHarness(dialect);
    await h.addUser('lead', ['responder']);
  });
  afterAll(() => h.close());

  it('stores language and time zone per user and shows times in that zone', async () => {
    const cookie = await h.login('lead');
    const saved = await h.post(
      '/app/account/preferences',
      { language: 'en', timeZone: 'America/New_York' },
      cookie,
    );
    expect(saved.statusCode).toBe(303);
    const account = await h.get('/app/account', cookie);
    expect(account.body).toContain('<h1>My account</h1>');
    expect(account.body).toContain('<option selected>America/New_York</option>');
    const audit = await h.get('/app/audit', cookie);
    expect(audit.body).toMatch(/\d\d:\d\d (GMT-[45]|EST|EDT)</);
    // Remembered: a new login has the same language.
    const again = await h.login('lead');
    expect((await h.get('/app', again)).body).toContain('<html lang="en">');
    const bad = await h.post(
      '/app/account/preferences',
      { language: 'en', timeZone: 'Mars/Base' },
      cookie,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('timeZone');
  });

  it('switches the login page’s language before login, and remembers it', async () => {
    const english = await h.get('/app/login?lang=en');
    expect(english.body).toContain('<h1>Log in</h1>');
    const remembered = english.cookies.find((c) => c.name === 'candor_lang')!;
    expect(remembered.value).toBe('en');
    const next = await h.get('/app/login', `candor_lang=${remembered.value}`);
    expect(next.body).toContain('<html lang="en">');
    expect((await h.get('/app/login')).body).toContain('<h1>Inloggen</h1>');
  });
});
