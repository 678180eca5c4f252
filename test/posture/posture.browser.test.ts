/**
 * The posture statement in a real browser (Debian's chromium via playwright-core): a
 * communicator writes it in the editor (a mistake is named at its field), an approver who did
 * not write it approves, a responder publishes, and the public page renders under its strict
 * CSP. Every screen is checked with axe-core (no serious or critical violations).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../src/domain/posture/posture.js';
import {
  axeViolations,
  launchBrowser,
  loginAs,
  screenshot,
  startBrowserServer,
  watchConsole,
  type BrowserServer,
} from '../browser/browser-support.js';

describe('the posture statement in a browser', () => {
  let server: BrowserServer;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startBrowserServer();
    await server.addUser({ username: 'joost', roles: ['communicator'], language: 'en' });
    await server.addUser({ username: 'fatima', roles: ['approver'], language: 'nl' });
    await server.addUser({ username: 'sanne', roles: ['responder'], language: 'en' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(username: string | null): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const seen = watchConsole(page);
    page.on('close', () => problems.push(...seen));
    if (username) await loginAs(page, server.url, username);
    return page;
  }

  it('write, four-eyes approve, publish, read', { timeout: 180_000 }, async () => {
    const joost = await open('joost');
    await joost.goto(`${server.url}/app/posture`);
    expect(await axeViolations(joost)).toEqual([]);
    // No draft yet: start one, then open the editor from the overview.
    await Promise.all([
      joost.waitForURL(/\/app\/posture$/),
      joost.getByRole('button', { name: 'Start a new draft' }).click(),
    ]);
    await Promise.all([
      joost.waitForURL(/\/app\/posture\/edit$/),
      joost.getByRole('link', { name: 'Edit the draft' }).click(),
    ]);
    expect(await axeViolations(joost)).toEqual([]);
    const year = dayOf(new Date(Date.now() + 300 * 86_400_000));
    await joost.fill('input[name=validUntil]', year);
    await joost.fill('textarea[name=intro_nl]', 'Wat wij hebben geregeld, en tot wanneer.');
    await joost.fill('textarea[name=intro_en]', 'What we have in place, and until when.');
    for (let i = 0; i < 10; i++) {
      await joost.selectOption(`select[name=m${i}_status]`, 'in-place');
      await joost.fill(`textarea[name=m${i}_description_nl]`, `Maatregel ${i} is geregeld.`);
      await joost.fill(`textarea[name=m${i}_description_en]`, `Measure ${i} is in place.`);
      await joost.fill(`input[name=m${i}_validUntil]`, year);
    }
    // A mistake: an external check without the auditor's name.
    await joost.selectOption('select[name=m4_checkedBy]', 'external');
    await joost.fill('textarea[name=c0_text_nl]', 'Getroffen klanten horen het binnen 24 uur.');
    await joost.fill(
      'textarea[name=c0_text_en]',
      'Affected customers hear from us within 24 hours.',
    );
    await joost.fill('input[name=c0_hours]', '24');
    await joost.getByRole('button', { name: 'Save draft' }).click();
    await expect
      .poll(() => joost.locator('#posture-m4_auditor-error').textContent())
      .toContain('an external check names its auditor');
    expect(await joost.locator('input[name=m4_auditor]').getAttribute('aria-invalid')).toBe('true');
    // What was typed is still there.
    expect(await joost.inputValue('textarea[name=m3_description_en]')).toBe(
      'Measure 3 is in place.',
    );
    expect(await axeViolations(joost)).toEqual([]);
    await screenshot(joost, 'posture-editor-error');
    await joost.fill('input[name=m4_auditor]', 'Voorbeeld Pentest B.V.');
    await Promise.all([
      joost.waitForURL(/\/app\/posture$/),
      joost.getByRole('button', { name: 'Save draft' }).click(),
    ]);
    expect(await joost.locator('.flash').textContent()).toContain('Draft saved.');
    // The writer is told someone else approves.
    expect(await joost.locator('form[action="/app/posture/approve"]').count()).toBe(0);

    const fatima = await open('fatima');
    await fatima.goto(`${server.url}/app/posture`);
    expect(await axeViolations(fatima)).toEqual([]);
    await Promise.all([
      fatima.waitForURL(/\/app\/posture$/),
      fatima.getByRole('button', { name: 'Goedkeuren' }).click(),
    ]);
    expect(await fatima.locator('.flash').textContent()).toContain('Goedgekeurd.');

    const sanne = await open('sanne');
    await sanne.goto(`${server.url}/app/posture`);
    await Promise.all([
      sanne.waitForURL(/\/app\/posture$/),
      sanne.getByRole('button', { name: 'Publish' }).click(),
    ]);
    expect(await sanne.locator('#posture-current').textContent()).toContain('version 1');

    const reader = await open(null);
    await expect
      .poll(async () => (await reader.goto(`${server.url}/en/security/posture`))?.status(), {
        timeout: 15_000,
      })
      .toBe(200);
    expect(await reader.locator('h1').textContent()).toBe('Our security, checked');
    expect(await reader.locator('#measure-e').textContent()).toContain(
      'Voorbeeld Pentest B.V. (external)',
    );
    const commitment = reader.locator('ol.commitments > li', {
      hasText: 'Affected customers hear from us within 24 hours.',
    });
    // No case yet: nothing to measure, and the page says so rather than showing 100 %.
    expect(await commitment.textContent()).toContain('No cases to measure against yet.');
    expect(await axeViolations(reader)).toEqual([]);
    await screenshot(reader, 'posture-public');
    await reader.goto(`${server.url}/security`);
    await reader.getByRole('link', { name: 'Onze beveiliging, getoetst' }).click();
    await reader.waitForURL(/\/security\/posture$/);
    expect(await axeViolations(reader)).toEqual([]);
    for (const p of [joost, fatima, sanne, reader]) await p.close();
    // The 422 is the deliberate mistake above, the 404s the reader's polls before the public
    // cache rendered the new statement (within a second); nothing else: no CSP or script errors.
    expect(problems.filter((p) => !/status of (422|404)/.test(p))).toEqual([]);
  });
});
