/**
 * A customer question end to end in Chromium: asked on the personal page (phone), seen in the
 * case's inbox with the customer's context, answered there. Screenshots for review go to
 * /tmp/questions-page.png and /tmp/questions-inbox.png (and test-artifacts/screens/).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import { insertRemedy } from '../questions/question-support.js';
import {
  axeViolations,
  launchBrowser,
  loginAs,
  screenshot,
  startBrowserServer,
  watchConsole,
  type BrowserServer,
} from './browser-support.js';

describe('customer questions in Chromium', () => {
  let server: BrowserServer;
  let browser: Browser;
  let recall: RecallCase;
  let problems: string[];

  beforeAll(async () => {
    server = await startBrowserServer();
    await server.addUser({ username: 'joost', roles: ['communicator'] });
    recall = await createRecallCase(server.ctx, [
      {
        external_id: 'K-2041',
        email: 'marieke@bakkerij-jansen.example',
        name: 'Marieke Jansen',
        language: 'nl',
        country: 'NL',
        impact: { data: 'naam, e-mailadres, wachtwoord-hash', domains: ['bakkerij-jansen.nl'] },
      },
    ]);
    await server.ctx.database.db
      .updateTable('deliveries')
      .set({ state: 'sent', sent_at: new Date(Date.now() - 5 * 3_600_000).toISOString() })
      .where('dispatch_id', '=', recall.dispatchId)
      .execute();
    await insertRemedy(server.ctx.database.db, recall.caseId, {
      key: 'reset-password',
      position: 1,
      titles: { nl: 'Kies een nieuw wachtwoord', en: 'Choose a new password' },
    });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks on the personal page, shows it in the inbox, and replies', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'nl-NL',
      isMobile: true,
    });
    const page: Page = await phone.newPage();
    problems = watchConsole(page);
    page.setDefaultTimeout(10_000);
    const token = recall.recipients.get('K-2041')!.token;
    await page.goto(`${server.url}/n/${token}`);
    const box = page.getByLabel('Uw vraag');
    await box.fill(
      'Moet ik naast mijn wachtwoord ook mijn API-sleutels vervangen?\nIk gebruik ze voor onze webwinkel.',
    );
    await Promise.all([
      page.waitForURL(/\?asked=1#questions$/),
      page.getByRole('button', { name: 'Vraag versturen' }).click(),
    ]);
    await expect(
      page.getByRole('status').filter({ hasText: 'Uw vraag is verstuurd' }).count(),
    ).resolves.toBe(1);
    await expect(page.locator('.question blockquote').innerText()).resolves.toBe(
      'Moet ik naast mijn wachtwoord ook mijn API-sleutels vervangen?\nIk gebruik ze voor onze webwinkel.',
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#questions').scrollIntoViewIfNeeded();
    await page.locator('#questions').screenshot({ path: '/tmp/questions-page.png' });
    await screenshot(page, 'questions-page');
    await phone.close();

    const desk = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'nl-NL',
    });
    const ws = await desk.newPage();
    const wsProblems = watchConsole(ws);
    ws.setDefaultTimeout(10_000);
    await loginAs(ws, server.url, 'joost');
    await ws.goto(`${server.url}/app/cases/${recall.reference}`);
    await expect(ws.locator('.question-figures').first().innerText()).resolves.toContain('Open');
    await ws.getByRole('link', { name: 'Vragen', exact: true }).click();
    await ws.waitForURL(/\/questions$/);
    const card = ws.locator('article.question-item').first();
    await expect(card.innerText()).resolves.toContain('Marieke Jansen');
    await card.locator('summary').first().click();
    await expect(card.innerText()).resolves.toContain('Kies een nieuw wachtwoord');
    await expect(card.innerText()).resolves.toContain('verzonden');
    await ws
      .getByLabel('Antwoord aan de klant')
      .fill(
        'Ja, graag. Vervang uw API-sleutels in het klantpaneel onder Instellingen → API.\nPas ze daarna ook aan in uw webwinkel.',
      );
    await Promise.all([
      ws.waitForURL(/\/questions#question-\d+$/),
      ws.getByRole('button', { name: 'Antwoord versturen' }).click(),
    ]);
    await expect(ws.locator('.flash').innerText()).resolves.toContain('Antwoord opgeslagen');
    const answered = ws.locator('article.question-item').first();
    await expect(answered.innerText()).resolves.toContain('beantwoord');
    await expect(answered.innerText()).resolves.toContain('wacht op verzending');
    await answered.locator('summary').first().click();
    expect(await axeViolations(ws)).toEqual([]);
    await ws.screenshot({ path: '/tmp/questions-inbox.png', fullPage: true });
    await screenshot(ws, 'questions-inbox');
    expect([...problems, ...wsProblems]).toEqual([]);
    await desk.close();
  }, 60_000);
});
