/**
 * The reports tab, the AP sheet and the register in a real browser (Debian's chromium via
 * playwright-core): draft as the security lead, approve as the DPO, record the submission,
 * open the sheet and the register. Every screen is checked with axe-core (no serious or
 * critical violations), watched for CSP and script errors, and photographed.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  launchBrowser,
  loginAs,
  screenshot,
  startBrowserServer,
  watchConsole,
  type BrowserServer,
} from '../browser/browser-support.js';
import { breachCase } from './report-fixture.js';

describe('reports in a browser', () => {
  let server: BrowserServer;
  let browser: Browser;
  let reference: string;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startBrowserServer();
    await server.addUser({ username: 'rita', roles: ['responder'], language: 'en' });
    await server.addUser({ username: 'anna', roles: ['approver'], language: 'nl' });
    reference = (await breachCase(server.ctx.database)).reference;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function loggedIn(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const seen = watchConsole(page);
    page.on('close', () => problems.push(...seen.filter((p) => !p.includes('404'))));
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico'))
        problems.push(`${username}: ${r.status()} ${r.url()}`);
    });
    await loginAs(page, server.url, username);
    return page;
  }

  it(
    'drafts, approves with four eyes, submits, and shows the sheet and the register',
    { timeout: 120_000 },
    async () => {
      const rita = await loggedIn('rita');
      await rita.goto(`${server.url}/app/cases/${reference}/reports`);
      expect(await axeViolations(rita)).toEqual([]);
      await Promise.all([
        rita.waitForURL(/report=\d+&version=1/),
        rita.locator('form:has(input[name=kind][value=gdpr-art33]) button').click(),
      ]);
      await expect
        .poll(() => rita.locator('textarea[name="f.dataSubjects.en"]').inputValue())
        .toContain('approximately 12,000');
      await rita.fill('textarea[name="f.other.en"]', 'Further details follow within two weeks.');
      await Promise.all([
        rita.waitForURL(/version=1/),
        rita.getByRole('button', { name: 'Save' }).click(),
      ]);
      expect(await rita.locator('.flash').textContent()).toContain('Report saved.');
      expect(await axeViolations(rita)).toEqual([]);
      await screenshot(rita, 'case-reports-draft');
      const url = rita.url();

      const anna = await loggedIn('anna');
      await anna.goto(url);
      // Approving is irreversible: the form asks for the "I understand" box first.
      const approve = anna.locator('form', {
        has: anna.getByRole('button', { name: 'Deze versie goedkeuren' }),
      });
      await approve.locator('input[name="confirm"]').check();
      await Promise.all([
        anna.waitForURL(/version=1/),
        anna.getByRole('button', { name: 'Deze versie goedkeuren' }).click(),
      ]);
      expect(await anna.locator('.flash').textContent()).toContain('Versie goedgekeurd.');

      await rita.goto(url);
      await rita.getByLabel("The authority's reference").fill('AP-BROWSER-1');
      await Promise.all([
        rita.waitForURL(/version=1/),
        rita.getByRole('button', { name: 'Record submission' }).click(),
      ]);
      expect(await rita.locator('.report-detail').textContent()).toContain('AP-BROWSER-1');
      expect(await axeViolations(rita)).toEqual([]);
      await screenshot(rita, 'case-reports-submitted');

      await rita.getByRole('link', { name: 'AP notification form, field by field' }).click();
      await rita.waitForURL(/\/sheet$/);
      expect(await rita.locator('h3').allTextContents()).toContain(
        '8. Vervolgacties naar aanleiding van het datalek',
      );
      expect(await axeViolations(rita)).toEqual([]);
      await screenshot(rita, 'report-sheet');

      await rita.goto(`${server.url}/app/register`);
      expect(await rita.locator('.register-table').textContent()).toContain(reference);
      expect(await axeViolations(rita)).toEqual([]);
      await screenshot(rita, 'breach-register');
      await rita.close();
      await anna.close();
      expect(problems).toEqual([]);
    },
  );
});
