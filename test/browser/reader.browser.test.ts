/**
 * What the reader sees, in Chromium: the personal page on a 390×844 phone shows both actions
 * without scrolling; the notice mail (built-in template, rendered by the domain renderer) has
 * no horizontal scroll at 320 and 390 px; the personal page and the verify page pass axe.
 * Screenshots go to test-artifacts/screens/reader-*.png.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBuiltinTemplate } from '../../src/domain/notices/builtin-templates.js';
import { compileNotice, renderNotice } from '../../src/domain/notices/notice-renderer.js';
import { sampleNoticeVariables } from '../../src/domain/notices/sample-variables.js';
import { referenceCode } from '../../src/lib/reference-code.js';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import {
  axeViolations,
  launchBrowser,
  screenshot,
  SCREENS_DIR,
  startBrowserServer,
  watchConsole,
  type BrowserServer,
} from './browser-support.js';

const PHONE = { width: 390, height: 844 };

interface Box {
  top: number;
  bottom: number;
  right: number;
}

/** Where an element is in the viewport (the test has no DOM types: it runs in Node). */
function boxOf(locator: Locator): Promise<Box> {
  return locator.evaluate((element) => {
    const r = (element as unknown as { getBoundingClientRect(): Box }).getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, right: r.right };
  });
}

/** The document's scroll width against the viewport's width. */
function widthsOf(page: Page): Promise<{ scroll: number; client: number }> {
  return page.evaluate(() => {
    const root = (
      globalThis as unknown as {
        document: { documentElement: { scrollWidth: number; clientWidth: number } };
      }
    ).document.documentElement;
    return { scroll: root.scrollWidth, client: root.clientWidth };
  });
}

// A long headline and a long summary: the summary must still leave room for the buttons.
const TITLE = 'Klantgegevens en wachtwoord-hashes gekopieerd via een gestolen beheersleutel';
const SUMMARY = [
  'Op 26 november 2026 heeft een aanvaller met een gestolen beheersleutel ingelogd op een van onze beheerservers. Van daaruit heeft hij een deel van onze klantgegevens gekopieerd, waaronder namen, e-mailadressen en versleutelde wachtwoorden. Wij hebben de sleutel dezelfde nacht ingetrokken.',
  '',
  'Wij hebben de Autoriteit Persoonsgegevens ingelicht en doen aangifte.',
].join('\n');

describe('the reader in Chromium', () => {
  let server: BrowserServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let recall: RecallCase;
  let code = '';

  beforeAll(async () => {
    server = await startBrowserServer();
    recall = await createRecallCase(
      server.ctx,
      [
        {
          external_id: 'K-PHONE',
          email: 'marieke@bakkerij-jansen.example',
          name: 'Marieke Jansen-van der Berg',
          language: 'nl',
          country: 'NL',
          impact: {
            data: 'naam, e-mailadres, wachtwoord-hash',
            domains: ['bakkerij-jansen.nl', 'jansenbrood.nl'],
          },
        },
      ],
      TITLE,
    );
    await server.ctx.database.db
      .updateTable('cases')
      .set({ summary: SUMMARY })
      .where('id', '=', recall.caseId)
      .execute();
    const recipientId = recall.recipients.get('K-PHONE')!.id;
    const delivery = await server.ctx.database.db
      .updateTable('deliveries')
      .set({ state: 'sent', sent_at: '2026-12-07T14:05:00.000Z' })
      .where('dispatch_id', '=', recall.dispatchId)
      .where('recipient_id', '=', recipientId)
      .returning('id')
      .executeTakeFirstOrThrow();
    code = referenceCode(server.ctx.deps.secret, Number(delivery.id));
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: PHONE, locale: 'nl-NL', isMobile: true });
    page = await context.newPage();
    problems = watchConsole(page);
    page.setDefaultTimeout(10_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function viewportShot(name: string): Promise<void> {
    await page.screenshot({ path: `${SCREENS_DIR}/${name}.png`, fullPage: false });
  }

  it('shows both actions on a 390×844 phone without scrolling', async () => {
    const token = recall.recipients.get('K-PHONE')!.token;
    await page.goto(`${server.url}/n/${token}`);
    for (const name of ['Ik heb dit gelezen', 'Ik heb het gedaan']) {
      const box = await boxOf(page.getByRole('button', { name }));
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.bottom).toBeLessThanOrEqual(PHONE.height);
    }
    expect(await page.locator('.code').first().innerText()).toBe(code);
    const width = await widthsOf(page);
    expect(width.scroll).toBeLessThanOrEqual(width.client);
    await viewportShot('reader-personal-page-phone');
    await screenshot(page, 'reader-personal-page-phone-full');
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('keeps the page readable after both clicks', async () => {
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Ik heb het gedaan' }).click(),
    ]);
    expect(await page.locator('#actions .status').count()).toBe(2);
    await viewportShot('reader-personal-page-done');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('lays out the notice mail without horizontal scroll at 320 and 390 px', async () => {
    // A fresh about:blank page: content set into the personal page would inherit its CSP,
    // which (rightly) refuses the mail's inline styles.
    const mailPage = await context.newPage();
    const mailProblems = watchConsole(mailPage);
    for (const kind of ['incident', 'advisory'] as const) {
      for (const language of ['nl', 'en'] as const) {
        const template = findBuiltinTemplate(kind, language);
        const variables = sampleNoticeVariables(language);
        variables.reference_code = 'K7Q4-M2XP-9ABC';
        const mail = renderNotice(
          compileNotice({ language, subject: template.subject, body: template.body }),
          variables,
        );
        for (const width of [320, 390]) {
          await mailPage.setViewportSize({ width, height: 844 });
          await mailPage.setContent(mail.html, { waitUntil: 'load' });
          const size = await widthsOf(mailPage);
          expect(size.scroll, `${kind}-${language} at ${width}px`).toBeLessThanOrEqual(size.client);
          // The button is the first thing in the message, on the first screen.
          const button = await boxOf(mailPage.locator('a.candor-button'));
          expect(button.bottom).toBeLessThanOrEqual(300);
          expect(button.right).toBeLessThanOrEqual(width);
          if (kind === 'incident' && language === 'nl') {
            await mailPage.screenshot({ path: `${SCREENS_DIR}/reader-mail-${width}.png` });
            await screenshot(mailPage, `reader-mail-${width}-full`);
          }
        }
      }
    }
    expect(mailProblems).toEqual([]);
    await mailPage.close();
  });

  it('checks a notice code on the verify page', async () => {
    await page.goto(`${server.url}/security/verify`);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Berichtcode').fill(code.toLowerCase().replace(/-/g, ' '));
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Controleren' }).click(),
    ]);
    const verdict = await page.locator('.verdict').innerText();
    expect(verdict).toContain('Echt: dit bericht is van');
    expect(verdict).toContain('7 december 2026');
    expect(verdict).toContain(recall.reference);
    expect(verdict).not.toContain('Marieke');
    await screenshot(page, 'reader-verify-genuine');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Berichtcode').fill('ABCD-EFGH-JKMN');
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Controleren' }).click(),
    ]);
    expect(await page.locator('.verdict').innerText()).toContain(
      'Wij kunnen deze code niet bevestigen',
    );
    await screenshot(page, 'reader-verify-unknown');
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
