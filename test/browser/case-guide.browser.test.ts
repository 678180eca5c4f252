/**
 * The guidance and the live views in chromium: the recall tracker and the deadline banner on
 * a case (wide and at 390 px, light and dark), the awareness prompt, the dashboard banner, the
 * confirm step of a close, and a dispatch that finishes while watched turning into its finished
 * view without a reload. axe-core (no serious or critical violations) on each, in both colour
 * schemes; screenshots in test-artifacts/screens/guide-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Actor, type Role } from '../../src/domain/access.js';
import { createCase } from '../../src/services/cases/case.service.js';
import { buildScenario, type People } from '../dispatch/scenario.js';
import {
  axeViolations,
  launchBrowser,
  loginAs,
  screenshot,
  SCREENS_DIR,
  startBrowserServer,
  watchConsole,
  type BrowserServer,
} from './browser-support.js';

describe('case guidance and live dispatch in a browser', () => {
  let server: BrowserServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let people: People;
  let urgentRef = '';
  let unawareRef = '';
  let sendRef = '';
  const a11y: Record<string, string[]> = {};

  /** axe in light and dark, and a photo of each. */
  async function check(name: string): Promise<void> {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      a11y[`${name}-${scheme}`] = await axeViolations(page);
      await screenshot(page, `guide-${name}-${scheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  beforeAll(async () => {
    // Two mails a second: the dispatch is still running when its page opens.
    server = await startBrowserServer({ worker: true, env: { CANDOR_DISPATCH_RATE: '2' } });
    const cast: [keyof Omit<People, 'admin'>, Role][] = [
      ['sanne', 'responder'],
      ['joost', 'communicator'],
      ['fatima', 'approver'],
      ['vera', 'viewer'],
    ];
    people = { admin: systemActor('test') } as People;
    for (const [username, role] of cast) {
      const id = await server.addUser({ username, roles: [role], language: 'en' });
      people[username] = {
        kind: 'user',
        userId: id,
        name: username,
        roles: [role],
        source: 'test',
      } satisfies Actor;
    }
    const scenario = await buildScenario(server.ctx, people, { customers: 6, until: 'approved' });
    sendRef = (
      await server.ctx.database.db
        .selectFrom('cases')
        .select('reference')
        .where('id', '=', scenario.caseId)
        .executeTakeFirstOrThrow()
    ).reference;
    urgentRef = (
      await createCase(
        people.sanne,
        {
          kind: 'incident',
          title: 'Control panel break-in on web07',
          awareAt: new Date(Date.now() - 68.5 * 3_600_000).toISOString(),
        },
        server.ctx.deps,
      )
    ).reference;
    unawareRef = (
      await createCase(
        people.sanne,
        { kind: 'incident', title: 'Suspicious logins on the mail cluster' },
        server.ctx.deps,
      )
    ).reference;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    problems = watchConsole(page);
    await loginAs(page, server.url, 'sanne');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the tracker and an urgent deadline on a case, wide and at 390 px', async () => {
    await page.goto(`${server.url}/app/cases/${urgentRef}`);
    const banner = page.locator('.deadline-banner');
    expect(await banner.getAttribute('data-deadline')).toBe('urgent');
    expect((await banner.textContent())!.replace(/\s+/g, ' ')).toMatch(
      /Urgent: GDPR: notify the AP within 3 h \d+ min/,
    );
    expect(await page.locator('.recall-step').count()).toBe(8);
    expect(await page.locator('.recall-step[data-step="assess"]').getAttribute('data-state')).toBe(
      'needs-you',
    );
    await check('overview');
    // The same tracker heads another tab.
    await page.goto(`${server.url}/app/cases/${urgentRef}/notices`);
    expect(await page.locator('.recall-step').count()).toBe(8);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/app/cases/${urgentRef}`);
    // Nothing wider than the phone.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await check('overview-390');
    // What the phone shows first, without scrolling.
    await page.screenshot({ path: `${SCREENS_DIR}/guide-overview-390-top.png` });
    await page.goto(`${server.url}/app/cases/${urgentRef}/affected`);
    await page.screenshot({ path: `${SCREENS_DIR}/guide-affected-390-top.png` });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('asks for the moment of awareness when an incident has none', async () => {
    await page.goto(`${server.url}/app/cases/${unawareRef}`);
    expect(await page.locator('.aware-prompt h2').innerText()).toBe(
      'The legal clocks have not started',
    );
    expect(await page.locator('.deadline-banner').count()).toBe(0);
    await check('aware-prompt');
  });

  it('puts the soonest deadline over all cases on the dashboard', async () => {
    await page.goto(`${server.url}/app`);
    // The scenario's case became aware on 27 Nov 2026: its GDPR clock is overdue.
    const banner = page.locator('.deadline-banner');
    expect(await banner.getAttribute('data-deadline')).toBe('overdue');
    expect(await banner.innerText()).toContain(sendRef);
    await check('dashboard');
  });

  it('asks for a confirmation naming the consequence before closing', async () => {
    await page.goto(`${server.url}/app/cases/${urgentRef}`);
    await Promise.all([
      page.waitForLoadState('load'),
      page.click('form[action$="/state"] button[value="closed"]'),
    ]);
    expect(await page.locator('.confirm-step').innerText()).toContain(
      'Closed cases cannot be reopened.',
    );
    expect(await page.locator('.confirm-blocked').innerText()).toContain(
      '1 legal clock is still running.',
    );
    await check('close-confirm');
  });

  it('turns a dispatch that finishes while watched into its finished view without a reload', async () => {
    await page.goto(`${server.url}/app/cases/${sendRef}/dispatch`);
    await page.check('form[action$="/dispatches"] input[name="confirm"]');
    await Promise.all([
      page.waitForURL(/dispatch\?dispatch=\d+/),
      page.click('form[action$="/dispatches"] button[type="submit"]'),
    ]);
    expect(await page.locator('[data-progress-stream]').count()).toBe(1);
    await page.evaluate('window.candorMarker = 7');
    await page.locator('[data-dispatch-done]').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.evaluate('window.candorMarker')).toBe(7);
    expect(await page.locator('[data-dispatch-done]').innerText()).toMatch(
      /^Done in (\d+ min )?\d+ s\.$/,
    );
    expect(await page.locator('form[action$="/pause"], form[action$="/cancel"]').count()).toBe(0);
    expect(await page.locator('[data-progress-stream]').count()).toBe(0);
    // The delivery chart is drawn (one minute of sending is a line across, not a lone dot).
    expect(
      await page.locator('#delivery-chart svg line[stroke="#0b6b3a"]').count(),
    ).toBeGreaterThan(0);
    // The tracker above was swapped too: sending is done.
    expect(await page.locator('.recall-step[data-step="send"]').getAttribute('data-state')).toBe(
      'done',
    );
    await check('dispatch-finished');
    expect(problems.filter((p) => !p.startsWith('Failed to load resource'))).toEqual([]);
  }, 60_000);

  it('has no serious or critical axe violations on any of these screens, light or dark', () => {
    expect(Object.keys(a11y).length).toBeGreaterThanOrEqual(10);
    expect(Object.entries(a11y).filter(([, v]) => v.length > 0)).toEqual([]);
  });
});
