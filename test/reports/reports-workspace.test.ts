import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPdfText } from '../../src/channels/letters/pdf-text.js';
import { AP_SECTIONS } from '../../src/domain/reports/report-sheet.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';
import { breachCase } from './report-fixture.js';

/** The reports tab and the register page, driven as a browser without JavaScript would. */
describe.each(DIALECTS)('reports in the workspace on %s', (dialect) => {
  let h: WorkspaceHarness;
  let reference: string;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    h = await createHarness(dialect);
    await h.addUser('rita', ['responder']);
    await h.addUser('anna', ['approver']);
    await h.addUser('vera', ['viewer']);
    for (const name of ['rita', 'anna', 'vera']) cookies[name] = await h.login(name);
    reference = (await breachCase(h.ctx.database)).reference;
  });
  afterAll(async () => h.close());

  const tab = () => `/app/cases/${reference}/reports`;

  it('drafts, edits, approves with four eyes and records the submission, without JavaScript', async () => {
    const empty = await h.get(tab(), cookies.rita);
    expect(empty.statusCode).toBe(200);
    // A Dutch reader sees the Dutch citation (issue 13).
    expect(empty.body).toContain('AVG art. 33 lid 1');
    expect(empty.body).not.toMatch(/style=|<script(?![^>]*src=)/);

    const created = await h.post(tab(), { kind: 'gdpr-art33' }, cookies.rita!);
    expect(created.statusCode).toBe(303);
    const location = created.headers.location as string;
    expect(location).toMatch(new RegExp(`^${tab()}\\?report=\\d+&version=1$`));
    const reportId = Number(/report=(\d+)/.exec(location)![1]);

    const draft = await h.get(location, cookies.rita);
    expect(draft.body).toContain('ongeveer 12.000');
    expect(draft.body).toContain('name="f.consequences.nl"');
    const hash = /name="contentHash" value="([0-9a-f]{64})"/.exec(draft.body)![1]!;

    const base = `${tab()}/${reportId}/versions/1`;
    const saved = await h.post(
      base,
      {
        contentHash: hash,
        'f.consequences.nl': 'Accountovername & phishing <b>gericht</b>.',
        dataSubjects: '12500',
        records: '',
      },
      cookies.rita!,
    );
    expect(saved.statusCode).toBe(303);
    const edited = await h.get(location, cookies.rita);
    expect(edited.body).toContain('Accountovername &amp; phishing &lt;b&gt;gericht&lt;/b&gt;.');
    expect(edited.body).toContain('value="12500"');

    const badFigure = await h.post(base, { dataSubjects: '-3' }, cookies.rita!);
    expect(badFigure.statusCode).toBe(400);
    expect(badFigure.body).toContain('must be a whole number');

    // Rita wrote it: no approve button for her (and no permission); Anna gets one.
    expect(edited.body).not.toContain(`${base}/approve`);
    const annaView = await h.get(location, cookies.anna);
    expect(annaView.body).toContain(`${base}/approve`);
    const annaHash =
      /action="[^"]*\/approve"[\s\S]*?name="contentHash" value="([0-9a-f]{64})"/.exec(
        annaView.body,
      )![1]!;
    // Approval needs the ticked "I understand" box; without it the server refuses.
    const unticked = await h.post(`${base}/approve`, { contentHash: annaHash }, cookies.anna!);
    expect(unticked.statusCode).toBe(400);
    expect(unticked.body).toContain('vink het vakje aan');
    expect(
      (await h.post(`${base}/approve`, { contentHash: annaHash, confirm: 'yes' }, cookies.anna!))
        .statusCode,
    ).toBe(303);

    const noRef = await h.post(`${base}/submit`, { authorityReference: '' }, cookies.rita!);
    expect(noRef.statusCode).toBe(400);
    expect(noRef.body).toContain('meldnummer');
    // A date that does not exist (31 February) is refused, not rolled over into March.
    const noDate = await h.post(
      `${base}/submit`,
      { authorityReference: 'AP-WS-42', submittedAt: '2026-02-31T10:00' },
      cookies.rita!,
    );
    expect(noDate.statusCode).toBe(400);
    const submitted = await h.post(
      `${base}/submit`,
      { authorityReference: 'AP-WS-42', submittedAt: '' },
      cookies.rita!,
    );
    expect(submitted.statusCode).toBe(303);
    const done = await h.get(location, cookies.vera);
    expect(done.body).toContain('AP-WS-42');
    expect(done.body).not.toContain(`${tab()}/${reportId}/supplement`);
    expect((await h.get(location, cookies.rita)).body).toContain(`${tab()}/${reportId}/supplement`);

    const supplement = await h.post(`${tab()}/${reportId}/supplement`, {}, cookies.rita!);
    expect(supplement.statusCode).toBe(303);
    expect(supplement.headers.location).toContain('version=2');

    const pdf = await h.get(`${base}/download?format=pdf&lang=nl`, cookies.vera);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(extractPdfText(pdf.rawPayload).flat).toContain('AP-WS-42');

    const sheet = await h.get(`${base}/sheet`, cookies.vera);
    expect(sheet.statusCode).toBe(200);
    for (const [i, s] of AP_SECTIONS.entries()) expect(sheet.body).toContain(`${i}. ${s.title.nl}`);
    expect(sheet.body).toMatch(/<textarea id="sheet-field-\d+" readonly/);
    expect(sheet.body).not.toMatch(/style=|<script(?![^>]*src=)/);
    const sheetEn = await h.get(`${base}/sheet?labels=en`, cookies.vera);
    expect(sheetEn.body).toContain('Follow-up actions');
  });

  it('lets a viewer read but not change, and refuses a form without the CSRF token', async () => {
    const page = await h.get(tab(), cookies.vera);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/name="f\.consequences\.nl"[^>]*readonly/);
    expect(page.body).not.toContain(`action="${tab()}`);
    expect((await h.post(tab(), { kind: 'nis2-final' }, cookies.vera!)).statusCode).toBe(403);
    expect((await h.post(tab(), { kind: 'nis2-final' }, cookies.rita!, null)).statusCode).toBe(403);
    expect(
      (await h.get('/app/cases/INC-1999-0001/reports/1/versions/1/sheet', cookies.vera)).statusCode,
    ).toBe(404);
  });

  it('shows the breach register with filters and offers exports to those allowed', async () => {
    const page = await h.get('/app/register', cookies.vera);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(reference);
    expect(page.body).toContain('AP-WS-42');
    expect(page.body).not.toContain('/app/register/export');
    const notNotified = await h.get('/app/register?notified=no&year=&severity=', cookies.vera);
    expect(notNotified.body).not.toContain(`>${reference}<`);
    const rita = await h.get('/app/register', cookies.rita);
    expect(rita.body).toContain('/app/register/export?format=csv');
    const csv = await h.get('/app/register/export?format=csv&notified=yes', cookies.rita);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toContain(reference);
    expect((await h.get('/app/register/export?format=csv', cookies.vera)).statusCode).toBe(403);
  });
});
