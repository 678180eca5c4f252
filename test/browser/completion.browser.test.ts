/**
 * The completion tab in a real browser: a recall with known completion (the DST-week
 * scenario), seen by a viewer on a desktop and on a 390 px phone. The filter form works
 * without script, the page has no serious axe violations and nothing overflows the phone's
 * width except inside the scrollable tables. Screenshots go to /tmp/completion-tab*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCompletionScenario,
  type CompletionScenario,
} from '../completion/completion-scenario.js';
import {
  axeViolations,
  launchBrowser,
  loginAs,
  startBrowserServer,
  watchConsole,
  type BrowserServer,
} from './browser-support.js';

describe('completion tab in a browser', () => {
  let server: BrowserServer;
  let browser: Browser;
  let s: CompletionScenario;

  beforeAll(async () => {
    server = await startBrowserServer();
    s = await buildCompletionScenario(server.ctx);
    await server.addUser({ username: 'vera', roles: ['viewer'], language: 'en' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(width: number, height: number): Promise<{ page: Page; seen: string[] }> {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const seen = watchConsole(page);
    await loginAs(page, server.url, 'vera');
    await page.goto(`${server.url}/app/cases/${s.recall.reference}/completion`);
    return { page, seen };
  }

  it('shows figures, curves and the open list on a desktop, and filters without script', async () => {
    const { page, seen } = await open(1280, 900);
    await expect(page.locator('h2', { hasText: 'Completion' }).first().isVisible()).resolves.toBe(
      true,
    );
    expect(await page.locator('.completion-tile .stat').allTextContents()).toEqual([
      '62.5%',
      '50%',
      '12.5%',
    ]);
    expect(await page.locator('svg.chart-svg').count()).toBe(2);
    expect(await page.locator('svg.chart-svg title').first().textContent()).toBe(
      'Completion per day',
    );
    await page.screenshot({ path: '/tmp/completion-tab.png', fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await page.selectOption('#completion-stage', 'unreached');
    await page.click('form[role="search"] button[type="submit"]');
    await page.waitForURL(/stage=unreached/);
    const ids = await page
      .locator('.completion-open-table tbody tr td:first-child .muted')
      .allTextContents();
    expect(ids).toEqual(['R3', 'R4', 'R6']);
    expect(await page.locator('a[download]').getAttribute('href')).toContain(
      'open.csv?stage=unreached',
    );
    expect(seen.filter((p) => !p.includes('404'))).toEqual([]);
    await page.context().close();
  });

  it('reads on a 390 px phone without sideways scrolling of the page', async () => {
    const { page } = await open(390, 844);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const chart = await page.locator('svg.chart-svg').first().boundingBox();
    expect(chart!.width).toBeLessThanOrEqual(390);
    expect(chart!.width).toBeGreaterThan(300);
    await page.screenshot({ path: '/tmp/completion-tab-phone.png', fullPage: true });
    await page
      .locator('figure.chart')
      .first()
      .screenshot({ path: '/tmp/completion-chart-phone.png' });
    await page.context().close();
  });
});
