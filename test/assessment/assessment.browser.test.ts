/**
 * The assessment tab in a real browser: the legal clock counts down live and turns overdue
 * without a reload (clock-countdown.js under the strict CSP), the facts form records the
 * facts and the advice appears, an approver overrides a decision. axe-core checks each screen.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { createCase } from '../../src/services/cases/case.service.js';
import {
  axeViolations,
  launchBrowser,
  loginAs,
  screenshot,
  startBrowserServer,
  watchConsole,
  type BrowserServer,
} from '../browser/browser-support.js';

describe('assessment tab in a browser', () => {
  let server: BrowserServer;
  let browser: Browser;
  let url = '';
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startBrowserServer();
    await server.addUser({ username: 'rita', roles: ['responder'], language: 'en' });
    await server.addUser({ username: 'abe', roles: ['approver'], language: 'en' });
    const c = await createCase(
      systemActor('test'),
      {
        kind: 'incident',
        title: 'Breach on web12',
        awareAt: new Date(Date.now() - 3_600_000).toISOString(),
      },
      server.ctx.deps,
    );
    url = `${server.url}/app/cases/${c.reference}/assessment`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    expect(problems).toEqual([]);
  });

  async function loggedIn(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const seen = watchConsole(page);
    page.on('close', () => problems.push(...seen.filter((p) => !p.includes('404'))));
    await loginAs(page, server.url, username);
    return page;
  }

  it('ticks the clock live until it is overdue', async () => {
    const page = await loggedIn('rita');
    // Aware 72 hours minus a few seconds ago (made after logging in, which can be slow on a
    // busy machine): the GDPR clock runs out while we watch.
    const soon = await createCase(
      systemActor('test'),
      {
        kind: 'incident',
        title: 'About to be overdue',
        awareAt: new Date(Date.now() - 72 * 3_600_000 + 12_000).toISOString(),
      },
      server.ctx.deps,
    );
    await page.goto(`${server.url}/app/cases/${soon.reference}/assessment`);
    const clock = page.locator('.legal-clock').first();
    await expect
      .poll(() => clock.locator('.legal-clock-remaining').textContent())
      .toMatch(/\d+ s left/);
    await expect
      .poll(() => clock.locator('[data-clock-state]').textContent(), { timeout: 30_000 })
      .toBe('overdue');
    expect(await clock.locator('.legal-clock-remaining').textContent()).toMatch(/overdue$/);
    expect(await clock.getAttribute('class')).toContain('legal-clock-overdue');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'assessment-clock-overdue');
    await page.close();
  });

  it('records facts through the form and shows the advice', async () => {
    const page = await loggedIn('rita');
    await page.goto(url);
    // Plain-language questions first; nothing preselected that the user did not say.
    expect(await page.getByLabel('Can the people be identified from the data?').inputValue()).toBe(
      '',
    );
    expect(await page.getByLabel('Password storage').isVisible()).toBe(false);
    await page.getByLabel('What happened?').selectOption('break-in');
    await page.getByLabel('simple (name, contact details)').check();
    await page.getByLabel('credentials').check();
    await page.getByLabel('How many people are affected (about)?').fill('1840');
    await page.getByLabel('Can the people be identified from the data?').selectOption('maximum');
    await page.getByLabel('Who could see the data?').selectOption('unknown-recipients');
    await page.getByLabel('Were data copied or taken out?').selectOption('confirmed');
    await page.getByLabel('It was deliberate (an attack, theft or fraud)').check();
    await page.getByText('More facts (ENISA method, recipients, NIS2)').click();
    await page.getByLabel('Password storage').selectOption('weak-hash');
    await Promise.all([
      page.waitForURL(url),
      page.getByRole('button', { name: 'Record the facts as a new version' }).click(),
    ]);
    await expect.poll(() => page.locator('.assessment-severity .stat').textContent()).toBe('4');
    // The arithmetic is folded away until asked for.
    expect(await page.getByText('SE = 3 × 1 + 1 = 4', { exact: false }).isVisible()).toBe(false);
    await page.getByText('How this score was reached').click();
    expect(await page.getByText('SE = 3 × 1 + 1 = 4', { exact: false }).isVisible()).toBe(true);
    expect(await page.locator('#decision-authority').locator('..').textContent()).toContain(
      'Case 05',
    );
    expect(await page.locator('#decision-subjects').locator('..').textContent()).toContain(
      'GDPR Art. 34(1)',
    );
    expect(await page.getByText('Facts recorded (version 1).').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'assessment-advice');
    await page.close();
  });

  it('lets an approver override with a rationale', async () => {
    const page = await loggedIn('abe');
    await page.goto(url);
    const card = page.locator('article.assessment-decision', {
      has: page.locator('#decision-subjects'),
    });
    // A visible form, not folded: heading, choice, rationale and button at once.
    expect(await card.getByRole('heading', { name: 'Override the advice' }).isVisible()).toBe(true);
    expect(await card.getByLabel('Rationale').isVisible()).toBe(true);
    await card.getByLabel('do not communicate').check();
    await card
      .getByLabel('Rationale')
      .fill('All passwords were reset within the hour, before any misuse.');
    await Promise.all([
      page.waitForURL(url),
      card.getByRole('button', { name: 'Record the override' }).click(),
    ]);
    const updated = page.locator('article.assessment-decision', {
      has: page.locator('#decision-subjects'),
    });
    expect(await updated.textContent()).toContain('overridden by abe');
    expect(await page.getByRole('heading', { name: 'Overrides so far' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'assessment-override');
    // The same screen in dark mode, with the folded parts open.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByText('How this score was reached').click();
    await page.getByText('More facts (ENISA method, recipients, NIS2)').click();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'assessment-override-dark');
    await page.close();
  });
});
