/**
 * The notice editor in a real browser (Debian's chromium through playwright-core): a
 * communicator writes the case's statements in both languages side by side, edits the notice
 * with the chip list without typing any `{{`, previews the mail as two different recipients in
 * the sandboxed frame (its content changes), then an approver sees the diff and approves.
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

describe('notice editor in a browser', () => {
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
    await server.addUser({ username: 'rita', roles: ['responder'], language: 'en' });
    await server.addUser({ username: 'cor', roles: ['communicator'], language: 'en' });
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
    const seen = watchConsole(page);
    page.on('close', () => problems.push(...seen.filter((p) => !p.includes('404'))));
    await loginAs(page, server.url, username);
    return page;
  }

  const frameText = (page: Page) =>
    page.frameLocator('iframe.notice-frame').locator('body').textContent();

  it('statements, chips, two recipients, diff and approval', { timeout: 180_000 }, async () => {
    // A responder opens the case and uploads who is affected.
    const rita = await loggedIn('rita');
    await rita.goto(`${server.url}/app/cases`);
    await rita.check('input[name=kind][value=incident]');
    await rita.fill('#new-case-title', 'Break-in on the customer portal');
    await rita.fill('#new-case-summary', 'An attacker copied names and email addresses.');
    await rita.fill('#new-case-awareAt', '2026-11-27T03:12');
    await Promise.all([
      rita.waitForURL(/\/app\/cases\/INC-\d{4}-\d{4}$/),
      rita.click('text=Create case'),
    ]);
    const caseUrl = rita.url();
    await rita.goto(`${caseUrl}/affected`);
    await rita.setInputFiles('#affected-file', {
      name: 'affected.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'external_id,domains,data\nK-1,bakkerij.nl,naam\nK-2,smith.example,name\n',
      ),
    });
    await rita.click('form[enctype="multipart/form-data"] button[type=submit]');
    await rita.waitForSelector('#upload-rejected');
    await rita.close();

    // The communicator: statements in both languages, side by side.
    const cor = await loggedIn('cor');
    await cor.goto(`${caseUrl}/notices`);
    await Promise.all([
      cor.waitForURL(/\/notices\?notice=\d+$/),
      cor.click('form[action$="/notices"] button[type=submit]'),
    ]);
    const noticeUrl = cor.url();
    await cor.fill('#statement-what_happened-nl', 'Iemand kwam binnen met een gestolen sleutel.');
    await cor.fill('#statement-what_happened-en', 'Someone got in with a stolen key.');
    await cor.fill('#statement-what_you_should_do-nl', '1. Kies een nieuw wachtwoord.');
    await cor.fill('#statement-what_you_should_do-en', '1. Choose a new password.');
    await Promise.all([
      cor.waitForURL(/\/notices/),
      cor.click('.statements-form button[type=submit]'),
    ]);
    expect(await cor.textContent('.flash')).toContain('Texts saved.');
    await cor.goto(noticeUrl);
    expect(await cor.inputValue('#statement-what_happened-en')).toBe(
      'Someone got in with a stolen key.',
    );

    // The notice text: readable, chips inserted from the list, no `{{` typed.
    const body = cor.locator('#notice-nl-body');
    expect(await body.inputValue()).toContain('Beste [[Customer name]],');
    await body.click();
    await body.press('Control+End');
    await body.pressSequentially('\n\nUw kenmerk: ');
    await cor.click('button[data-chip="[[Case reference]]"]');
    await body.pressSequentially('. ');
    await cor.click('button[data-chip="[[if: leak contained]]"]');
    await body.pressSequentially('Het lek is gedicht.');
    expect(await body.inputValue()).toMatch(
      /Uw kenmerk: \[\[Case reference\]\]\. \[\[if: leak contained\]\]Het lek is gedicht\.\[\[end\]\]$/,
    );
    // The frame follows the draft (debounced): the case reference appears in the mail.
    const reference = /INC-\d{4}-\d{4}/.exec(caseUrl)![0];
    await expect
      .poll(() => frameText(cor), { timeout: 15_000 })
      .toContain(`Uw kenmerk: ${reference}`);
    await expect.poll(() => frameText(cor)).toContain('Marieke Jansen');
    // Another recipient, another language: the frame's content changes.
    await cor.selectOption('#notice-language', 'en');
    await cor.selectOption('#notice-sample', 'K-2');
    await expect
      .poll(() => frameText(cor), { timeout: 15_000 })
      .toContain('Someone got in with a stolen key.');
    expect(await frameText(cor)).not.toContain('Marieke Jansen');
    expect(await axeViolations(cor)).toEqual([]);
    await cor.locator('iframe.notice-frame').scrollIntoViewIfNeeded();
    await cor.waitForTimeout(300);
    await screenshot(cor, 'notice-editor');
    await Promise.all([
      cor.waitForURL(/\/notices\?notice=\d+/),
      cor.click('.notice-editor .case-primary'),
    ]);
    expect(await cor.locator('details.notice-source pre').first().textContent()).toContain(
      '{% if facts.contained %}Het lek is gedicht.{% endif %}',
    );

    // The approver: first approval, approve; after a statement edit, the diff.
    const anna = await loggedIn('anna');
    await anna.goto(noticeUrl);
    expect(await anna.textContent('.notice-first-approval')).toContain('First approval');
    await anna.check('form[action$="/approve"] input[name="confirm"]');
    await Promise.all([anna.waitForURL(/\/notices/), anna.click('text=Approve this version')]);
    expect(await anna.textContent('#notice-status')).toBe('approved');
    await cor.goto(noticeUrl);
    await cor.fill(
      '#statement-what_happened-en',
      'Someone got in with a stolen key; we revoked it.',
    );
    await Promise.all([
      cor.waitForURL(/\/notices/),
      cor.click('.statements-form button[type=submit]'),
    ]);
    expect(await cor.textContent('.flash')).toContain("statement 'what happened' (en) changed");
    await anna.goto(noticeUrl);
    expect(await anna.textContent('.notice-voided')).toContain('Approval voided');
    expect(await anna.textContent('#notice-diff-en ins')).toContain('we revoked it.');
    expect(await anna.textContent('#notice-diff-en del')).toContain(
      'Someone got in with a stolen key.',
    );
    expect(await axeViolations(anna)).toEqual([]);
    await screenshot(anna, 'notice-approval-diff');
    await anna.check('form[action$="/approve"] input[name="confirm"]');
    await Promise.all([anna.waitForURL(/\/notices/), anna.click('text=Approve this version')]);
    expect(await anna.textContent('#notice-status')).toBe('approved');
    await cor.close();
    await anna.close();
    expect(problems).toEqual([]);
  });
});
