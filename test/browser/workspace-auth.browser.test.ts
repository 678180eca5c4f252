/**
 * The workspace's own screens in a real browser: login (and a wrong password), TOTP
 * enrolment and a login with a code computed here, logout, a CSRF-less post refused, a
 * viewer refused on the users screen, and every screen checked with axe-core (no serious or
 * critical violations) and photographed into test-artifacts/screens/.
 */
import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { totpCodeAtStep, totpStep } from '../../src/domain/totp.js';
import { createCase } from '../../src/services/cases/case.service.js';
import { importCustomers } from '../../src/services/customers/customer-import.service.js';
import {
  axeViolations,
  launchBrowser,
  loginAs,
  logout,
  screenshot,
  startBrowserServer,
  watchConsole,
  type BrowserServer,
} from './browser-support.js';

const CUSTOMERS = [
  'external_id,email,name,language,city',
  'K-1,marieke@bakkerij-jansen.example,Marieke Jansen,nl,Zwolle',
  'K-2,john@smith.example,John Smith,en,London',
  'K-3,piet@pieters.example,Piet Pieters,nl,Utrecht',
].join('\n');

describe('workspace login, second factor and screens in a browser', () => {
  let server: BrowserServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  const a11y: Record<string, string[]> = {};

  /** Checks the current page with axe and photographs it. */
  async function check(name: string): Promise<void> {
    a11y[name] = await axeViolations(page);
    await screenshot(page, name);
  }

  beforeAll(async () => {
    server = await startBrowserServer({ env: { CANDOR_REQUIRE_TOTP_FOR_ADMINS: 'true' } });
    await server.addUser({
      username: 'sanne',
      displayName: 'Sanne de Vries',
      roles: ['responder'],
    });
    await server.addUser({ username: 'vera', displayName: 'Vera Kijker', roles: ['viewer'] });
    await server.addUser({
      username: 'root',
      displayName: 'Rob Beheer',
      roles: ['admin'],
      language: 'en',
    });
    await importCustomers(
      systemActor(),
      Readable.from([`${CUSTOMERS}\n`]),
      { source: 'test' },
      server.ctx.deps,
    );
    await createCase(
      systemActor(),
      {
        kind: 'incident',
        title: 'Klantendatabase gekopieerd',
        awareAt: new Date(Date.now() - 5 * 3_600_000).toISOString(),
      },
      server.ctx.deps,
    );
    await createCase(
      systemActor(),
      {
        kind: 'incident',
        title: 'Verouderd lek',
        awareAt: new Date(Date.now() - 80 * 3_600_000).toISOString(),
      },
      server.ctx.deps,
    );
    const mailer = nodemailer.createTransport(server.smtpUrl);
    await mailer.sendMail({
      from: 'security@example.com',
      to: 'marieke@bakkerij-jansen.example',
      subject: 'Belangrijk: uw gegevens',
      text: `Beste Marieke,\n\nLees wat er gebeurd is: ${server.url}/p/voorbeeld\n`,
      html: `<p>Beste Marieke,</p><p><a href="${server.url}/p/voorbeeld">Lees wat er gebeurd is</a></p>`,
    });
    mailer.close();
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    problems = watchConsole(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the login page and a generic message for a wrong password', async () => {
    await page.goto(`${server.url}/app`);
    expect(new URL(page.url()).pathname).toBe('/app/login');
    await check('login');
    await page.getByLabel('Gebruikersnaam').fill('sanne');
    await page.getByLabel('Wachtwoord').fill('not the password');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Gebruikersnaam of wachtwoord klopt niet.');
    await check('login-error');
  });

  it('logs in and shows every screen a responder may use, accessibly', async () => {
    await loginAs(page, server.url, 'sanne');
    expect(new URL(page.url()).pathname).toBe('/app');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Overzicht');
    expect(await page.locator('#open-cases').textContent()).toContain('Klantendatabase gekopieerd');
    // Legal clocks tick in the page (clock-countdown.js ran under the CSP); the overdue one
    // is said in words, in the row and in the notice above the table.
    await expect.poll(() => page.evaluate(() => 'candorClockCountdown' in globalThis)).toBe(true);
    const running = page.locator('tr', { hasText: 'Klantendatabase gekopieerd' });
    expect(await running.locator('.legal-clock-remaining').first().textContent()).toMatch(/^nog /);
    const late = page.locator('tr[data-overdue]');
    expect(await late.textContent()).toContain('Verouderd lek');
    expect(await late.textContent()).toContain('termijn verlopen');
    expect(await late.locator('.legal-clock-remaining').first().textContent()).toMatch(/te laat$/);
    expect(await page.locator('#overdue-clocks').textContent()).toContain('verlopen');
    await check('dashboard');
    // The dark scheme (prefers-color-scheme) meets the same contrast rules.
    await page.emulateMedia({ colorScheme: 'dark' });
    await check('dashboard-dark');
    await page.goto(`${server.url}/app/audit`);
    await check('audit-dark');
    await page.goto(`${server.url}/app`);
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('link', { name: 'Klanten' }).click();
    await page.getByLabel('Zoeken').fill('K-1');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.getByRole('link', { name: 'K-1' }).click();
    expect(await page.locator('h1').textContent()).toBe('Marieke Jansen');
    await check('customer');
    await page.goto(`${server.url}/app/customers`);
    await check('customers');
    await page.goto(`${server.url}/app/customers/import`);
    await check('customers-import');
    // Upload a file with one bad row: progress, then the summary and the rejects download.
    await page.getByLabel('Bestand').setInputFiles({
      name: 'nieuw.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'external_id,email,name\nK-9,k9@example.nl,Karel\nK-10,geen-adres,Kees\n',
      ),
    });
    await page.getByRole('button', { name: 'Uploaden en importeren' }).click();
    await page.waitForURL(/\/app\/customers\/imports\/[0-9a-f]{32}$/);
    await expect
      .poll(() => page.locator('#import-progress').getAttribute('data-state'), { timeout: 20_000 })
      .toBe('completed');
    expect(await page.locator('[data-rejected]').textContent()).toBe('1');
    const download = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Afgewezen regels downloaden/ }).click(),
    ]).then(([d]) => d);
    expect(download.suggestedFilename()).toBe('nieuw-rejects.csv');
    await check('customers-import-done');

    await page.getByRole('link', { name: 'Mailbox' }).click();
    await check('mailbox');
    await page.getByRole('link', { name: 'Belangrijk: uw gegevens' }).click();
    expect(await page.locator('.mail-links a').first().getAttribute('href')).toBe(
      `${server.url}/p/voorbeeld`,
    );
    await expect
      .poll(() => page.frameLocator('iframe.mail-frame').locator('a').textContent())
      .toBe('Lees wat er gebeurd is');
    await check('mailbox-mail');

    await page.getByRole('link', { name: 'Auditlog' }).click();
    await page.getByRole('button', { name: 'Keten controleren' }).click();
    await expect
      .poll(() => page.locator('#verify-result').textContent())
      .toContain('De keten is intact');
    await check('audit');
  });

  it('refuses a post without the CSRF token, even with a valid session', async () => {
    const response = await page.request.post(`${server.url}/app/preferences/language`, {
      form: { language: 'en', next: '/app' },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    const withToken = await page.request.post(`${server.url}/app/preferences/language`, {
      form: {
        language: 'nl',
        next: '/app',
        _csrf: await page.locator('input[name="_csrf"]').first().inputValue(),
      },
      maxRedirects: 0,
    });
    expect(withToken.status()).toBe(303);
  });

  it('switches the language and remembers it for the user', async () => {
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Audit log');
    await page.goto(`${server.url}/app`);
    expect(await page.locator('h1').textContent()).toBe('Dashboard');
    await page.getByRole('button', { name: 'Schakel naar Nederlands' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Overzicht');
  });

  it('logs out: the workspace then asks for the login again', async () => {
    await logout(page);
    await page.goto(`${server.url}/app/customers`);
    expect(new URL(page.url()).pathname).toBe('/app/login');
  });

  it('gives a viewer a 403 page on the users screen and no link to it', async () => {
    await loginAs(page, server.url, 'vera');
    expect(await page.getByRole('link', { name: 'Gebruikers' }).count()).toBe(0);
    const response = await page.goto(`${server.url}/app/users`);
    expect(response?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Geen toegang');
    await check('forbidden');
    await logout(page);
  });

  it('makes an admin enrol TOTP, then log in with a code from the authenticator', async () => {
    await loginAs(page, server.url, 'root');
    expect(new URL(page.url()).pathname).toBe('/app/account/totp');
    await check('totp-enrolment');
    const secret = (await page.locator('[data-totp-secret]').textContent())!.trim();
    const code = (offset = 0) => totpCodeAtStep(secret, totpStep(Date.now()) + offset);
    await page.getByLabel('Code', { exact: true }).fill('000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not right');
    await page.getByLabel('Code', { exact: true }).fill(code());
    await page.getByRole('button', { name: 'Confirm' }).click();
    // Ten recovery codes, shown this once.
    await expect.poll(() => page.locator('h1').textContent()).toBe('Recovery codes');
    const recovery = await page.locator('[data-recovery-code]').allTextContents();
    expect(recovery).toHaveLength(10);
    await check('totp-recovery-codes');
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.waitForURL(`${server.url}/app`);

    await page.getByRole('link', { name: 'Settings' }).click();
    await check('settings');
    await page.getByLabel('Organisation name').fill('Hosting Noord B.V.');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.flash').textContent()).toContain('Settings saved.');
    await page.getByRole('link', { name: 'Users' }).click();
    await check('users');
    await page.getByRole('link', { name: 'Edit: sanne' }).click();
    await page.getByLabel('Name').fill('Sanne de Vries-Bakker');
    await page.getByRole('checkbox', { name: /communications/ }).check();
    await check('user-edit');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.flash').textContent()).toContain('User saved.');
    expect(await page.locator('tr', { hasText: 'sanne' }).textContent()).toContain(
      'Sanne de Vries-Bakker',
    );
    await page.getByRole('link', { name: 'Rob Beheer' }).click();
    await check('account');
    await logout(page);

    // The next login asks for a code; the one used at enrolment does not work twice.
    await page.getByLabel('Username').fill('root');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/app\/login\/totp/);
    await check('login-totp');
    await page.getByLabel('Code', { exact: true }).fill(code(1));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.waitForURL(`${server.url}/app`);
    expect(await page.locator('h1').textContent()).toBe('Dashboard');
    await logout(page);

    // Phone gone: a recovery code instead of the app's code, once.
    await page.getByLabel('Username').fill('root');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/app\/login\/totp/);
    await page.getByLabel('Code', { exact: true }).fill(recovery[0]!);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.waitForURL(`${server.url}/app`);
    expect(await page.locator('.flash').textContent()).toContain('recovery code; 9 left');
  });

  it('has no serious or critical accessibility violations and no CSP errors', () => {
    expect(a11y).toEqual(Object.fromEntries(Object.keys(a11y).map((k) => [k, []])));
    expect(Object.keys(a11y).length).toBeGreaterThanOrEqual(15);
    expect(problems.filter((p) => /Content Security Policy|Refused/.test(p))).toEqual([]);
  });
});
