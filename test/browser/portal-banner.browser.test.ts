/**
 * The embeddable banner for the provider's portal (docs/portal/candor-banner.js) in a real
 * browser, under a strict CSP on the portal's own origin: it shows each open notice as text
 * with its link, and neither markup in a title nor a non-http link gets through.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  portalNoticesSchema,
  type PortalNotices,
} from '../../src/services/recipients/portal.service.js';
import { axeViolations, launchBrowser, screenshot } from './browser-support.js';

const SCRIPT = fs.readFileSync(path.resolve('docs/portal/candor-banner.js'), 'utf8');

/** As the API answers (checked against its schema), one notice per case. */
const answer: PortalNotices = portalNoticesSchema.parse({
  externalId: 'C0000001',
  notices: [
    {
      case: 'INC-2026-0001',
      kind: 'incident',
      language: 'nl',
      title: 'Datalek bij Voorbeeld Hosting <img src=x onerror="window.pwned=1">',
      referenceCode: 'K7QM-4XPA-9D',
      sentAt: '2026-12-07T09:00:00.000Z',
      personalPageUrl: 'https://candor.example/n/abc',
      acknowledgedAt: null,
      completedAt: null,
      open: true,
      remedies: [],
    },
    {
      case: 'ADV-2026-0001',
      kind: 'advisory',
      language: 'en',
      title: 'Tampered link',
      referenceCode: null,
      sentAt: null,
      personalPageUrl: 'javascript:window.pwned=2',
      acknowledgedAt: null,
      completedAt: null,
      open: true,
      remedies: [],
    },
    {
      case: 'INC-2025-0004',
      kind: 'incident',
      language: 'en',
      title: 'Done already',
      referenceCode: null,
      sentAt: null,
      personalPageUrl: 'https://candor.example/n/done',
      acknowledgedAt: null,
      completedAt: '2026-01-01T00:00:00.000Z',
      open: false,
      remedies: [],
    },
  ],
});

describe('the portal banner snippet', () => {
  let server: http.Server;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    // The portal: embeds the JSON its backend fetched (with "<" escaped) and hosts the script.
    const json = JSON.stringify(answer).replace(/</g, '\\u003c');
    server = http.createServer((request, response) => {
      const csp = "default-src 'none'; script-src 'self'; style-src 'self'";
      if (request.url === '/candor-banner.js') {
        response.writeHead(200, {
          'content-type': 'text/javascript',
          'content-security-policy': csp,
        });
        return response.end(SCRIPT);
      }
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': csp,
      });
      response.end(`<!doctype html><html lang="nl"><head><title>Mijn account</title></head><body>
        <main><h1>Mijn account</h1><div id="candor-banner"></div></main>
        <script type="application/json" id="candor-notices">${json}</script>
        <script src="/candor-banner.js" defer></script></body></html>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('shows the open notice as text with its link; markup and a javascript: link do not pass', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(url);
    const banners = page.locator('#candor-banner section');
    await expect.poll(() => banners.count()).toBe(1);
    const banner = banners.first();
    expect(await banner.getAttribute('aria-label')).toBe('Beveiligingsbericht');
    expect(await banner.locator('strong').textContent()).toBe(answer.notices[0]!.title);
    expect(await page.locator('#candor-banner img').count()).toBe(0);
    const link = banner.getByRole('link', { name: 'Lees het bericht' });
    expect(await link.getAttribute('href')).toBe('https://candor.example/n/abc');
    expect(await banner.textContent()).toContain('K7QM-4XPA-9D');
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    expect(errors).toEqual([]);
    await screenshot(page, 'portal-banner');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
