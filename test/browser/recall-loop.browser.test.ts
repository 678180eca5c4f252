/**
 * The whole recall loop in a real browser against a real Candor server (SQLite, embedded
 * mail catcher, in-process worker): a responder opens an incident, uploads the affected list
 * and writes the notice from the template; an approver signs it off; the responder sends it
 * and watches the live progress reach 100 %; the mail is opened in the mail catcher, its
 * personal link followed and acknowledged; the acknowledgement shows in the workspace. Also
 * the refusals: the author cannot approve, a viewer cannot dispatch, a post without the CSRF
 * token is refused. axe-core checks the dispatch and deliveries screens.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { importCustomers } from '../../src/services/customers/customer-import.service.js';
import {
  axeViolations,
  launchBrowser,
  loginAs,
  logout as logoutOf,
  screenshot,
  SCREENS_DIR,
  startBrowserServer,
  watchConsole,
  type BrowserServer,
} from './browser-support.js';

/**
 * The README's picture of the case workspace. A test run must not change tracked files, so
 * it is rewritten only with CANDOR_UPDATE_SCREENSHOTS=1; every run leaves the same picture in
 * test-artifacts/screens/case-workspace.png.
 */
const README_SHOT = path.resolve('docs/screenshots/case-workspace.png');
const UPDATE_README_SHOT = process.env.CANDOR_UPDATE_SCREENSHOTS === '1';

const CUSTOMERS = [
  'external_id,email,name,language',
  'K-100,marieke@bakkerij-jansen.example,Marieke Jansen,nl',
  'K-101,john@smith.example,John Smith,en',
  'K-102,piet@pieters.example,Piet Pieters,nl',
  'K-103,anna@ack.example,Anna de Boer,nl',
  'K-104,ravi@example.org,Ravi Patel,en',
  'K-105,not-affected@example.nl,Niet Getroffen,nl',
].join('\n');

const AFFECTED = [
  'external_id,data,domains',
  'K-100,"naam, e-mailadres, facturen",bakkerij-jansen.nl',
  'K-101,"name, email address",smith.example',
  'K-102,"naam, e-mailadres",pieters.nl',
  'K-103,"naam, e-mailadres, telefoonnummer",deboer.nl',
  'K-104,"name, invoices",patel.example',
].join('\n');

describe('the recall loop in a browser', () => {
  let server: BrowserServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let reference = '';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-browser-'));

  beforeAll(async () => {
    fs.mkdirSync(path.dirname(README_SHOT), { recursive: true });
    // A gentle rate, so the progress has something to show on its way to 100 %.
    server = await startBrowserServer({ worker: true, env: { CANDOR_DISPATCH_RATE: '2' } });
    await server.addUser({
      username: 'sanne',
      displayName: 'Sanne de Vries',
      roles: ['responder'],
    });
    await server.addUser({
      username: 'fatima',
      displayName: 'Fatima El Amrani',
      roles: ['approver'],
    });
    await server.addUser({
      username: 'carla',
      displayName: 'Carla Schrijver',
      roles: ['responder', 'approver'],
    });
    await server.addUser({ username: 'vera', displayName: 'Vera Kijker', roles: ['viewer'] });
    const imported = await importCustomers(
      systemActor('test'),
      Readable.from([`${CUSTOMERS}\n`]),
      { source: 'test' },
      server.ctx.deps,
    );
    expect(imported.rejected).toBe(0);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
    page = await context.newPage();
    problems = watchConsole(page);
    // A stuck step fails with its own message, well within the test's time.
    page.setDefaultTimeout(10_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function login(username: string): Promise<void> {
    await context.clearCookies();
    await loginAs(page, server.url, username);
  }

  const logout = () => logoutOf(page);

  async function shot(name: string): Promise<void> {
    await screenshot(page, name);
  }

  /** No serious or critical axe-core violations on the screen. */
  async function checkAxe(screen: string): Promise<void> {
    expect((await axeViolations(page)).map((v) => `${screen}: ${v}`)).toEqual([]);
  }

  it('runs from a new incident to an acknowledged notice', async () => {
    // 1. The responder opens an incident.
    await login('sanne');
    await shot('dashboard');
    await page.goto(`${server.url}/app/cases`);
    await page.check('input[name="kind"][value="incident"]');
    await page.fill('#new-case-title', 'Klantgegevens gekopieerd via een gestolen beheersleutel');
    await page.fill(
      '#new-case-summary',
      'Een aanvaller heeft een deel van onze klantgegevens gekopieerd.',
    );
    // What customers read, in both languages they read.
    await page.fill(
      '#new-case-what-nl',
      'Een aanvaller heeft een deel van onze klantgegevens gekopieerd.',
    );
    await page.fill('#new-case-what-en', 'An attacker copied part of our customer data.');
    await page.fill('#new-case-awareAt', '2026-11-27T03:10');
    await Promise.all([
      page.waitForURL(/\/app\/cases\/[A-Z]+-\d{4}-\d+$/),
      page.click('form[method="post"][action="/app/cases"] button[type="submit"]'),
    ]);
    reference = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await shot('case-overview');

    // 2. Uploads the affected list.
    const csv = path.join(tmp, 'getroffen.csv');
    fs.writeFileSync(csv, `${AFFECTED}\n`);
    await page.goto(`${server.url}/app/cases/${reference}/affected`);
    await page.setInputFiles('#affected-file', csv);
    await Promise.all([
      page.waitForLoadState('load'),
      page.click('#affected-file >> xpath=ancestor::form//button[@type="submit"]'),
    ]);
    await page.goto(`${server.url}/app/cases/${reference}/affected`);
    await expect.poll(() => page.textContent('#affected-total')).toMatch(/^\s*5\s*$/);
    await shot('affected');

    // 3. Writes the notice from the built-in template.
    await page.goto(`${server.url}/app/cases/${reference}/notices`);
    await Promise.all([
      page.waitForLoadState('load'),
      page.click(`form[action="/app/cases/${reference}/notices"] button[type="submit"]`),
    ]);
    await shot('notices');
    await logout();

    // 4. The approver signs it off.
    await login('fatima');
    await page.goto(`${server.url}/app/cases/${reference}/notices`);
    const noticeLink = page.locator(`a[href^="/app/cases/${reference}/notices/"]`).first();
    if (await noticeLink.count()) await noticeLink.click();
    await page.check('form[action$="/approve"] input[name="confirm"]');
    await Promise.all([
      page.waitForLoadState('load'),
      page.click(`form[action$="/approve"] button[type="submit"]`),
    ]);
    await logout();

    // 5. The responder dispatches and watches the progress reach 100 %.
    await login('sanne');
    await page.goto(`${server.url}/app/cases/${reference}/dispatch`);
    expect(await page.locator('.dispatch-tab').innerText()).toContain('5 ontvangers');
    await page.check('input[name="confirm"]');
    await Promise.all([
      page.waitForURL(/dispatch\?dispatch=\d+/),
      page.click('form[action$="/dispatches"] button[type="submit"]'),
    ]);
    const bar = page.locator('#dispatch-bar');
    // Sending two a second, the page opens before the end; a marker shows it is never reloaded.
    expect(Number(await bar.getAttribute('value'))).toBeLessThan(5);
    await page.evaluate('window.candorMarker = 42');
    // The live numbers come over server-sent events, into the <progress> and the counts.
    // (HTMLProgressElement.value reflects its attribute, so the attribute shows what the script set.)
    await expect
      .poll(() => bar.getAttribute('value'), { timeout: 30_000, interval: 200 })
      .toBe('5');
    expect(await page.evaluate('window.candorMarker')).toBe(42);
    // The script and the stream ran within the CSP, without errors.
    expect(problems.filter((p) => !p.startsWith('Failed to load resource'))).toEqual([]);
    expect(await bar.getAttribute('max')).toBe('5');
    await expect.poll(() => page.textContent('[data-progress="percent"]')).toMatch(/100\s?%/);
    await expect.poll(() => page.textContent('[data-progress="sent"]')).toBe('5');
    // Finished while watched: the server's finished view is swapped in, no reload.
    await page.locator('[data-dispatch-done]').waitFor({ state: 'visible' });
    expect(await page.evaluate('window.candorMarker')).toBe(42);
    const badge = page.locator('.badge[data-progress="state"]');
    expect(await badge.innerText()).toBe('voltooid');
    expect(await badge.getAttribute('class')).toContain('badge-ok');
    await page.goto(`${server.url}/app/cases/${reference}/dispatch`);
    await shot('dispatch');
    await checkAxe('dispatch');

    await page.goto(`${server.url}/app/cases/${reference}/deliveries`);
    expect(await page.locator('.deliveries-table tbody tr').count()).toBe(5);
    await shot('deliveries');
    await checkAxe('deliveries');
    await page.fill('#deliveries-q', 'marieke');
    await Promise.all([
      page.waitForURL(/q=marieke/),
      page.click('form[role="search"] button[type="submit"]'),
    ]);
    expect(await page.locator('.deliveries-table tbody tr').count()).toBe(1);
    // Per delivery: the server's answer and, behind the disclosure, the Message-ID.
    await page.click('.deliveries-table summary');
    expect(await page.locator('.deliveries-table details dd code').first().innerText()).toMatch(
      /^<candor\.\d+\.\d+@127\.0\.0\.1>$/,
    );

    // 6. The mail in the catcher; its personal link; the acknowledgement.
    const mailbox = `${server.url}/app/mailbox`;
    await page.goto(mailbox);
    await shot('mailbox');
    await page.goto(`${mailbox}?q=${encodeURIComponent('marieke@bakkerij-jansen.example')}`);
    const mailLink = page.locator('a[href^="/app/mailbox/"]').first();
    await Promise.all([page.waitForLoadState('load'), mailLink.click()]);
    const personal = page.locator(`a[href^="${server.url}/n/"]`).first();
    const href = await personal.getAttribute('href');
    expect(href).toMatch(/\/n\/[\w-]+/);
    await page.goto(href!);
    await shot('personal-page');
    await Promise.all([
      page.waitForLoadState('load'),
      page.click('button:has-text("Ik heb dit gelezen")'),
    ]);

    // 7. The acknowledgement in the workspace: dashboard and the delivery row.
    await page.goto(`${server.url}/app`);
    await shot('dashboard-after');
    const dashboard = await page.locator('main').innerText();
    expect(dashboard).toContain(reference);
    // One of five recipients acknowledged: 20 % on the case's row.
    const acked = (await page.locator('[data-ack="1"]').count()) > 0 || /20\s?%/.test(dashboard);
    expect(acked).toBe(true);
    await page.goto(`${server.url}/app/cases/${reference}/deliveries?q=marieke`);
    const row = page.locator('.deliveries-table tbody tr').first();
    expect((await row.locator('td').nth(5).innerText()).trim()).not.toBe('—');
    await page.goto(`${server.url}/app/cases/${reference}/dispatch`);
    expect(await page.locator('#recall-chart desc').textContent()).toContain('20');
    // The README's picture of the case workspace: the dispatch tab after the loop, in English
    // (the switch is remembered for the user, and shows the screen's English texts work).
    await Promise.all([
      page.waitForLoadState('load'),
      page.click('form[action="/app/preferences/language"] button'),
    ]);
    await page.goto(`${server.url}/app/cases/${reference}/dispatch`);
    expect(await page.locator('#charts-heading').innerText()).toBe('Charts');
    fs.mkdirSync(SCREENS_DIR, { recursive: true });
    const shotFile = path.join(SCREENS_DIR, 'case-workspace.png');
    await page.screenshot({ path: shotFile, fullPage: false });
    if (UPDATE_README_SHOT) fs.copyFileSync(shotFile, README_SHOT);
  }, 120_000);

  it('refuses what a role may not do: the author approving, a viewer dispatching, a post without token', async () => {
    expect(reference).not.toBe('');
    const { db } = server.ctx.database;
    // The author cannot approve: carla (responder and approver) writes a notice and sees the
    // four-eyes note instead of the approve button; a forced approval is refused.
    await login('carla');
    await page.goto(`${server.url}/app/cases/${reference}/notices`);
    await Promise.all([
      page.waitForLoadState('load'),
      page.click(`form[action="/app/cases/${reference}/notices"] button[type="submit"]`),
    ]);
    const own = await db
      .selectFrom('notices')
      .select(['id', 'content_hash'])
      .where('created_by', '=', 'carla')
      .executeTakeFirstOrThrow();
    await page.goto(`${server.url}/app/cases/${reference}/notices?notice=${own.id}`);
    expect(await page.locator('form[action$="/approve"]').count()).toBe(0);
    expect(await page.locator('.case-four-eyes').innerText()).toContain('carla');
    const carlaToken = await page.getAttribute('input[name="_csrf"]', 'value');
    const forcedApproval = await page.request.post(
      `${server.url}/app/cases/${reference}/notices/${own.id}/approve`,
      { form: { _csrf: carlaToken!, contentHash: own.content_hash, confirm: 'yes' } },
    );
    expect(forcedApproval.status()).toBe(403);
    const after = await db
      .selectFrom('notices')
      .select('approved_by')
      .where('id', '=', own.id)
      .executeTakeFirstOrThrow();
    expect(after.approved_by).toBeNull();
    await logout();

    // A viewer sees the dispatch tab without a start button; a forced start gets 403.
    await login('vera');
    await page.goto(`${server.url}/app/cases/${reference}/dispatch`);
    expect(await page.locator('form[action$="/dispatches"]').count()).toBe(0);
    expect(await page.locator('form[action*="/dispatches/"]').count()).toBe(0);
    const veraToken = await page.getAttribute('input[name="_csrf"]', 'value');
    const noticeId = String(
      (
        await db
          .selectFrom('notices')
          .select('id')
          .where('approved_by', 'is not', null)
          .executeTakeFirstOrThrow()
      ).id,
    );
    const before = await db.selectFrom('dispatches').select('id').execute();
    const forcedStart = await page.request.post(`${server.url}/app/cases/${reference}/dispatches`, {
      form: { _csrf: veraToken!, notice_id: noticeId, confirm: 'yes' },
    });
    expect(forcedStart.status()).toBe(403);
    await logout();

    // A post without the CSRF token is refused, even from a responder's own form.
    await login('sanne');
    await page.goto(`${server.url}/app/cases/${reference}/dispatch`);
    // The browser's own form, with its token taken out: the language switch every page has.
    await page.evaluate(
      'document.querySelectorAll(\'input[name="_csrf"]\').forEach((el) => el.remove())',
    );
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.click('form[action="/app/preferences/language"] button'),
    ]);
    expect(refused.status()).toBe(403);
    const tokenless = await page.request.post(`${server.url}/app/cases/${reference}/dispatches`, {
      form: { notice_id: noticeId, confirm: 'yes' },
    });
    expect(tokenless.status()).toBe(403);
    expect(await db.selectFrom('dispatches').select('id').execute()).toEqual(before);
  }, 60_000);
});
