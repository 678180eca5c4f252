import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptLanguage } from '../../src/http/preferred-language.js';
import { localizeMessage } from '../../src/http/views/workspace/service-messages.view.js';
import { createCase } from '../../src/services/cases/case.service.js';
import { approveNotice, createNotice } from '../../src/services/notices/notice.service.js';
import { createPeople } from '../dispatch/scenario.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';

// Issue 13: the workspace login and the public entry start in the browser's language and
// remember an explicit choice; service refusals read in the reader's language.

describe('acceptLanguage', () => {
  it.each([
    ['en-GB,en;q=0.9,nl;q=0.8', 'en'],
    ['nl-BE,nl;q=0.9,en;q=0.5', 'nl'],
    ['fr-FR, en;q=0.2', 'en'],
    ['nl;q=0.1, en;q=0.5', 'en'],
    ['de-DE,de', null],
    ['', null],
  ] as const)('%s → %s', (header, expected) => {
    expect(acceptLanguage(header)).toBe(expected);
  });
});

describe.each(DIALECTS)('browser language on %s', (dialect) => {
  let h: WorkspaceHarness;
  beforeAll(async () => {
    // The configured default is Dutch; the browser's list must win over it.
    h = await createHarness(dialect, { requireTotpForAdmins: false });
  });
  afterAll(() => h.close());

  const login = (headers: Record<string, string>) => h.app.inject({ url: '/app/login', headers });

  it('shows the login page in the browser language, unless a choice was remembered', async () => {
    const en = await login({ 'accept-language': 'en-US,en;q=0.9' });
    expect(en.body).toContain('<html lang="en">');
    const nl = await login({ 'accept-language': 'nl-NL' });
    expect(nl.body).toContain('<html lang="nl">');
    const chosen = await login({ 'accept-language': 'en-US', cookie: 'candor_lang=nl' });
    expect(chosen.body).toContain('<html lang="nl">');
    const other = await login({ 'accept-language': 'de-DE' });
    expect(other.body).toContain(`<html lang="${h.ctx.config.defaultLanguage}">`);
  });

  it('remembers the login page choice for the whole site, so `/` follows it', async () => {
    const switched = await login({ 'accept-language': 'nl' }).then(() =>
      h.app.inject({ url: '/app/login?lang=en' }),
    );
    const cookie = switched.cookies.find((c) => c.name === 'candor_lang')!;
    expect(cookie.value).toBe('en');
    expect(cookie.path).toBe('/');
    const entry = await h.app.inject({
      url: '/',
      headers: { 'accept-language': 'nl', cookie: `candor_lang=${cookie.value}` },
    });
    expect(entry.headers.location).toBe('/en/security');
  });

  it('sends `/` to the public page in the browser language; the fixed addresses stay', async () => {
    const en = await h.app.inject({ url: '/', headers: { 'accept-language': 'en-GB' } });
    expect(en.statusCode).toBe(302);
    expect(en.headers.location).toBe('/en/security');
    expect(en.headers.vary).toMatch(/Accept-Language/);
    const nl = await h.app.inject({ url: '/', headers: { 'accept-language': 'nl-BE,en;q=0.5' } });
    expect(nl.headers.location).toBe('/security');
    const chosen = await h.app.inject({ url: '/?lang=nl', headers: { 'accept-language': 'en' } });
    expect(chosen.headers.location).toBe('/security');
    expect(chosen.cookies.find((c) => c.name === 'candor_lang')).toMatchObject({
      value: 'nl',
      path: '/',
    });
    // The language-specific addresses do not redirect, whatever the browser says.
    const fixed = await h.app.inject({ url: '/security', headers: { 'accept-language': 'en' } });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.body).toContain('<html lang="nl">');
  });

  it("remembers a reader's choice made with the public pages' language switch", async () => {
    const page = await h.app.inject({ url: '/security' });
    const href = /<a class="lang"[^>]*href="([^"]+)"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
    expect(href).toBe('/?lang=en&to=%2Fsecurity');
    const switched = await h.app.inject({ url: href, headers: { 'accept-language': 'nl' } });
    expect(switched.statusCode).toBe(302);
    expect(switched.headers.location).toBe('/en/security');
    const cookie = switched.cookies.find((c) => c.name === 'candor_lang');
    expect(cookie).toMatchObject({ value: 'en', path: '/' });
    // Next time `/` follows the choice, not the browser.
    const later = await h.app.inject({
      url: '/',
      headers: { 'accept-language': 'nl', cookie: `candor_lang=${cookie!.value}` },
    });
    expect(later.headers.location).toBe('/en/security');
    // A deeper page keeps its place; `to` never leads off the security pages.
    const deep = await h.app.inject({ url: '/?lang=en&to=%2Fsecurity%2Fposture' });
    expect(deep.headers.location).toBe('/en/security/posture');
    for (const to of [
      '//evil.example',
      'https://evil.example/security',
      '/app/users',
      '/security/../app',
    ]) {
      const refused = await h.app.inject({ url: `/?lang=en&to=${encodeURIComponent(to)}` });
      expect(refused.statusCode, to).toBe(400);
    }
  });

  it('shows the four-eyes refusal in Dutch, from the message the service really throws', async () => {
    const people = await createPeople(h.ctx);
    const kase = await createCase(
      people.sanne,
      { kind: 'incident', title: 'Vier ogen', awareAt: new Date().toISOString() },
      h.ctx.deps,
    );
    // One person who both writes and approves: the rule must stop her.
    const both = { ...people.fatima, roles: ['approver' as const, 'communicator' as const] };
    const notice = await createNotice(both, kase.id, {}, h.ctx.deps);
    const error = await approveNotice(both, notice.id, {}, h.ctx.deps).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^four-eyes rule/);
    expect(localizeMessage(message, 'nl')).toBe(
      'Vier-ogenprincipe: fatima heeft aan dit bericht meegeschreven en kan het daarom niet goedkeuren.',
    );
    expect(localizeMessage(message, 'en')).toBe(message);
    expect(localizeMessage('something new', 'nl')).toBe('something new');
  });
});
