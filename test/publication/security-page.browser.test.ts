import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../src/domain/access.js';
import { getPublishedCase } from '../../src/services/publication/publication.service.js';
import { postPublicUpdate } from '../../src/services/publication/public-update.service.js';
import {
  axeViolations,
  launchBrowser,
  screenshot,
  startBrowserServer,
  watchConsole,
  type BrowserServer,
} from '../browser/browser-support.js';
import type { People } from '../dispatch/scenario.js';
import { EMBARGOED_SENTENCE, publishedIncident } from './public-record.js';

/** The security page in a real browser: no script, no third-party request, no CSP error, axe-clean. */
describe('the security page in Chromium', () => {
  let server: BrowserServer;
  let browser: Browser;
  let page: string;
  beforeAll(async () => {
    server = await startBrowserServer();
    browser = await launchBrowser();
    const actor = async (username: string, role: Role): Promise<Actor> => ({
      kind: 'user',
      userId: await server.addUser({ username, roles: [role] }),
      name: username,
      roles: [role],
      source: 'test',
    });
    const people = {
      joost: await actor('joost', 'communicator'),
      fatima: await actor('fatima', 'approver'),
      sanne: await actor('sanne', 'responder'),
    } as unknown as People;
    const { kase } = await publishedIncident(server.ctx, people);
    await postPublicUpdate(
      people.sanne,
      kase.id,
      { status: 'contained', texts: { nl: 'Het lek is gedicht.', en: 'The hole is closed.' } },
      server.ctx.deps,
    );
    page = (await getPublishedCase(server.ctx.database.db, kase.reference))!.paths.page;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders the listing and the case page in both languages, accessibly', async () => {
    const tab = await browser.newPage();
    const problems = watchConsole(tab);
    const foreign: string[] = [];
    tab.on('request', (r) => {
      if (!r.url().startsWith(server.url)) foreign.push(r.url());
    });
    const scripts: string[] = [];
    tab.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    // The public site picks a change up within a second.
    for (let i = 0; i < 40; i++) {
      const res = await tab.goto(`${server.url}/en${page}`);
      if (res?.status() === 200 && (await tab.content()).includes('The hole is closed.')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    problems.length = 0; // a 404 while the cache was catching up is expected
    for (const [url, name] of [
      [`${server.url}/security`, 'security-nl'],
      [`${server.url}/en/security?kind=incident`, 'security-en-incidents'],
      [`${server.url}/en${page}`, 'security-case-en'],
      [`${server.url}${page}`, 'security-case-nl'],
    ] as const) {
      const res = await tab.goto(url);
      expect(res?.status()).toBe(200);
      expect(await axeViolations(tab)).toEqual([]);
      await screenshot(tab, name);
    }
    const body = await tab.textContent('main');
    expect(body).toContain('Ingedamd');
    expect(body).not.toContain(EMBARGOED_SENTENCE);
    // The language switch leads to the other language's page.
    await tab.click('header a.lang');
    expect(tab.url()).toBe(`${server.url}/en${page}`);
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
    expect(scripts).toEqual([]);
    await tab.close();
  }, 60_000);
});
