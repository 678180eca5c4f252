/**
 * On a 390-px phone the workspace header takes at most a sixth of the screen, brand, account
 * and sections stay reachable without overlapping, and the page does not scroll sideways (not
 * even for a case title without spaces in the case list).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { createCase } from '../../src/services/cases/case.service.js';
import {
  axeViolations,
  launchBrowser,
  loginAs,
  logout,
  screenshot,
  startBrowserServer,
  type BrowserServer,
} from './browser-support.js';

describe('the workspace header on a phone', () => {
  let server: BrowserServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startBrowserServer();
    await server.addUser({
      username: 'sanne',
      displayName: 'Sanne de Vries (security lead)',
      roles: ['responder', 'approver'],
      language: 'nl',
    });
    // A title without spaces (a path, a hash, a product code) must wrap, not widen the page.
    await createCase(
      systemActor(),
      { kind: 'incident', title: `Lek in ${'/srv/www/klantportaal'.repeat(9)}` },
      server.ctx.deps,
    );
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is at most 844/6 px high, nothing overlaps, and every section is still a link', async () => {
    await loginAs(page, server.url, 'sanne');
    for (const url of ['/app', '/app/cases', '/app/audit']) {
      await page.goto(`${server.url}${url}`);
      const rect = async (selector: string) => (await page.locator(selector).boundingBox())!;
      const box = {
        header: (await rect('.ws-header')).height,
        brandRight: (await rect('.ws-brand')).x + (await rect('.ws-brand')).width,
        userLeft: (await rect('.ws-user')).x,
        pageWidth: await page.evaluate('document.documentElement.scrollWidth'),
      };
      expect(box.header, url).toBeLessThanOrEqual(844 / 6);
      expect(box.brandRight, url).toBeLessThanOrEqual(box.userLeft);
      expect(box.pageWidth, url).toBeLessThanOrEqual(390);
    }
    const sections = page.getByRole('navigation').getByRole('link');
    expect(await sections.count()).toBeGreaterThanOrEqual(4);
    await screenshot(page, 'phone-header');
    expect(await axeViolations(page)).toEqual([]);
    await logout(page);
  });
});
