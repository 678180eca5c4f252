import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { createCase } from '../../src/services/cases/case.service.js';
import { createNotice } from '../../src/services/notices/notice.service.js';
import { createReport } from '../../src/services/reports/report.service.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from './workspace-support.js';

/**
 * The workspace's routes validate their params and query with zod schemas. A person who
 * follows a stale or mangled link must still get the page they got before: the 404 page for an
 * unknown case or id, the default view for an unknown filter value, and an HTML page (never
 * JSON) naming the field when validation refuses the input.
 */
describe.each(DIALECTS)('workspace input through schemas, on %s', (dialect) => {
  let h: WorkspaceHarness;
  let ada: string;
  let reference: string;
  let noticeId: number;
  let reportId: number;

  beforeAll(async () => {
    h = await createHarness(dialect, { requireTotpForAdmins: false });
    await h.addUser('ada', ['admin']);
    ada = await h.login('ada');
    const actor = systemActor('test');
    const kase = await createCase(
      actor,
      { kind: 'incident', title: 'Stale links', summary: '' },
      h.ctx.deps,
    );
    reference = kase.reference;
    noticeId = (await createNotice(actor, reference, { audience: 'affected' }, h.ctx.deps)).id;
    reportId = (
      await createReport(actor, reference, 'gdpr-art33', {
        database: h.ctx.database,
        timeZone: h.ctx.config.workspace.defaultTimeZone,
      })
    ).id;
  });
  afterAll(async () => {
    await h.close();
  });

  const expectHtml = (
    res: { statusCode: number; headers: Record<string, unknown> },
    status: number,
  ) => {
    expect(res.statusCode).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
  };

  it('answers an unknown case, a malformed id or version with the 404 page', async () => {
    for (const url of [
      '/app/cases/NOPE',
      `/app/cases/${'X'.repeat(100)}/affected`,
      '/app/cases/NOPE/notices',
      `/app/cases/${reference}/notices/abc/preview.html`,
      `/app/cases/${reference}/notices/999999/preview.html`,
      `/app/cases/${reference}/reports/abc/versions/1/sheet`,
      `/app/cases/${reference}/reports/${reportId}/versions/x/download`,
      '/app/cases/NOPE/public',
      '/app/cases/NOPE/public/csaf',
    ]) {
      const res = await h.get(url, ada);
      expectHtml(res, 404);
      expect(res.body, url).toContain('Niet gevonden');
    }
  });

  it('shows the default view for unknown or repeated filter values', async () => {
    for (const url of [
      '/app/cases?status=closed&status=all',
      '/app/cases?kind=bogus',
      `/app/cases/${reference.toLowerCase()}`,
      `/app/cases/${reference}/notices?notice=abc&lang=nl&lang=en`,
      `/app/cases/${reference}/notices/${noticeId}/preview.html?lang=x&lang=y`,
      `/app/cases/${reference}/reports?report=x&report=y&version=abc`,
    ])
      expectHtml(await h.get(url, ada), 200);
    const sheet = await h.get(
      `/app/cases/${reference}/reports/${reportId}/versions/1/sheet?labels=en&labels=nl`,
      ada,
    );
    expectHtml(sheet, 200);
    expect(sheet.body).toContain('AVG');
    const download = await h.get('/app/register/export?format=pdf&format=csv&lang=en&lang=nl', ada);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toMatch(/^text\/csv/);
  });

  it('answers a query the schema refuses with the workspace HTML page naming the field', async () => {
    for (const [url, field] of [
      [`/app/cases/${reference}/affected/preview?filter=a&filter=b`, 'filter'],
      [`/app/cases/${reference}/notices?sample=a&sample=b`, 'sample'],
      [`/app/cases/${reference}/questions?show=bogus`, 'show'],
    ] as const) {
      const res = await h.get(url, ada);
      expectHtml(res, 400);
      expect(res.body, url).toContain('Ongeldige invoer');
      expect(res.body, url).toContain(field);
      expect(res.body, url).not.toMatch(/^\s*\{/);
    }
  });

  it('takes the CSRF token from the form or the query, and refuses a repeated one', async () => {
    const token = await h.csrfOf(ada, `/app/cases/${reference}`);
    const post = (url: string, payload: string) =>
      h.app.inject({
        method: 'POST',
        url,
        payload,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: ada },
      });
    const facts = `/app/cases/${reference}/facts`;
    const inForm = await post(facts, `_csrf=${encodeURIComponent(token)}&title=Stale+links+2`);
    expect(inForm.statusCode).toBe(303);
    const inQuery = await post(
      `${facts}?_csrf=${encodeURIComponent(token)}`,
      'title=Stale+links+3',
    );
    expect(inQuery.statusCode).toBe(303);
    const repeated = await post(
      facts,
      `_csrf=${encodeURIComponent(token)}&_csrf=${encodeURIComponent(token)}&title=X`,
    );
    expectHtml(repeated, 403);
  });
});
