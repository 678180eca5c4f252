/**
 * The case screens in a real browser (Debian's chromium through playwright-core): log in,
 * open an incident, record an event, upload an affected list with a bad row, write a filter
 * and watch the live count and a parse error, write the notice from the template and watch
 * the live preview flag an unknown placeholder, then approve as a second user. Every screen
 * is checked with axe-core (no serious or critical violations) and photographed.
 */
import { Readable } from 'node:stream';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { importCustomers } from '../../src/services/customers/customer-import.service.js';
import { CUSTOMERS } from '../workspace-cases/case-workspace-app.js';
import {
  axeViolations,
  launchBrowser,
  loginAs,
  screenshot,
  startBrowserServer,
  watchConsole,
  type BrowserServer,
} from './browser-support.js';

describe('case workspace in a browser', () => {
  let server: BrowserServer;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startBrowserServer();
    await importCustomers(
      systemActor('test'),
      Readable.from([`${CUSTOMERS.map((c) => JSON.stringify(c)).join('\n')}\n`]),
      { source: 'test', format: 'jsonl' },
      server.ctx.deps,
    );
    await server.addUser({
      username: 'rita',
      roles: ['responder', 'communicator'],
      language: 'en',
    });
    await server.addUser({ username: 'anna', roles: ['approver'], language: 'en' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function loggedIn(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // CSP violations and script errors show up here; none are expected. The browser's own
    // /favicon.ico probe is not ours to judge.
    const seen = watchConsole(page);
    page.on('close', () => problems.push(...seen.filter((p) => !p.includes('404'))));
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico'))
        problems.push(`${username}: ${r.status()} ${r.url()}`);
    });
    await loginAs(page, server.url, username);
    return page;
  }

  const seriousViolations = axeViolations;

  /** The sandboxed frame paints in its own process: bring it on screen before a photo. */
  async function showFrame(page: Page): Promise<void> {
    await page.locator('iframe.notice-frame').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
  }
  const base = () => server.url;

  it('walks overview → affected → notices → approval', { timeout: 120_000 }, async () => {
    const page = await loggedIn('rita');

    // New case, with the keyboard where a person would use it.
    await page.goto(`${base()}/app/cases`);
    await page.check('input[name=kind][value=incident]');
    await page.fill('#new-case-title', 'Break-in on the customer portal');
    await page.fill('#new-case-summary', 'An attacker copied names and email addresses.');
    await page.fill('#new-case-what-en', 'An attacker copied names and email addresses.');
    await page.fill('#new-case-what-nl', 'Een aanvaller kopieerde namen en e-mailadressen.');
    await page.fill('#new-case-awareAt', '2026-11-27T03:12');
    await page.focus('#new-case-awareAt');
    await Promise.all([
      page.waitForURL(/\/app\/cases\/INC-\d{4}-\d{4}$/),
      page.click('text=Create case'),
    ]);
    const overviewUrl = page.url();
    expect(await page.textContent('h1')).toContain('Break-in on the customer portal');
    await page.selectOption('#event-kind', 'contained');
    await page.fill('#event-text', 'Stolen key revoked');
    await page.click('form[action$="/events"] button[type=submit]');
    await page.waitForSelector('.case-timeline >> text=Stolen key revoked');
    expect(page.url()).toBe(overviewUrl);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'case-overview');

    // Affected: upload a list with one bad row.
    await page.click('nav.case-tabs >> text=Affected');
    await page.waitForURL(/\/affected$/);
    await page.setInputFiles('#affected-file', {
      name: 'affected.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'external_id,domains,data\nK-1,bakkerij.nl,naam\nK-404,x.nl,naam\nK-2,smith.example,name\n',
      ),
    });
    await page.click('form[enctype="multipart/form-data"] button[type=submit]');
    await page.waitForSelector('#upload-rejected');
    expect(await page.textContent('#upload-rejected')).toBe('1');
    expect(await page.textContent('.case-result')).toContain('K-404');
    // The live count as one types (htmx, debounced), then a parse error with its caret.
    await page.fill('#affected-filter', 'plan = "shared"');
    await page.waitForSelector('#filter-matches');
    expect(await page.textContent('#filter-matches')).toBe('3');
    // Screen readers hear one sentence from the region that stays, not the whole table.
    expect(await page.textContent('#filter-status')).toContain('3 customers match the filter.');
    await page.fill('#affected-filter', 'plan = shared');
    await page.waitForSelector('.case-pointer');
    expect(await page.textContent('#filter-preview')).toContain('put text in quotes');
    await page.fill('#affected-filter', 'plan = "shared"');
    await page.waitForSelector('#filter-matches');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'case-affected');
    await Promise.all([
      page.waitForURL(/\/affected$/),
      page.click('button[name=action][value=save]'),
    ]);
    // K-1 and K-2 from the list, K-4 from the filter (K-1 and K-2 match it too).
    expect(await page.textContent('#affected-total')).toBe('3');

    // Notices: from the template, then an unknown placeholder in the live preview.
    await page.click('nav.case-tabs >> text=Notices');
    await Promise.all([
      page.waitForURL(/\/notices\?notice=\d+$/),
      page.click('form[action$="/notices"] button[type=submit]'),
    ]);
    await page.waitForSelector('.notice-subject');
    const frame = page.frameLocator('iframe.notice-frame');
    await expect.poll(() => frame.locator('body').textContent()).toContain('Beste');
    const body = page.locator('#notice-nl-body');
    await body.press('Control+End');
    await body.pressSequentially('\n\nZie {{ impact.nonsense }}.');
    await expect
      .poll(() => page.textContent('#notice-live'), { timeout: 10_000 })
      .toContain('unknown placeholder {{ impact.nonsense }}');
    expect(await seriousViolations(page)).toEqual([]);
    await showFrame(page);
    await screenshot(page, 'case-notices');
    // Not saved: put the template back and save an honest edit of the subject instead.
    await page.reload();
    await page.fill('#notice-en-subject', 'Security incident: your data was involved');
    await Promise.all([
      page.waitForURL(/\/notices\?notice=\d+/),
      page.click('.notice-editor .case-actions button:not([formaction])'),
    ]);
    expect(await page.textContent('#notice-editors')).toBe('rita');
    expect(await page.textContent('#approval-heading + dl, .case-panel')).toBeTruthy();

    // A second user approves; the author could not have.
    const approver = await loggedIn('anna');
    await approver.goto(page.url());
    // Approving is irreversible: the form's "I understand" box is required.
    await approver.check('form[action$="/approve"] input[name="confirm"]');
    await Promise.all([
      approver.waitForURL(/\/notices\?notice=\d+/),
      approver.click('text=Approve this version'),
    ]);
    expect(await approver.textContent('#notice-status')).toBe('approved');
    expect(await seriousViolations(approver)).toEqual([]);
    await expect
      .poll(() => approver.frameLocator('iframe.notice-frame').locator('body').textContent())
      .toContain('Beste');
    await showFrame(approver);
    await screenshot(approver, 'case-approval');
    await page.close();
    await approver.close();
    expect(problems).toEqual([]);
  });
});
