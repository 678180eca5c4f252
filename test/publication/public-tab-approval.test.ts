import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import {
  startWorkspace,
  text,
  type WorkspaceFixture,
  type WorkspaceResponse,
} from '../workspace-cases/case-workspace-app.js';

/** The flash message a redirect carries (the test clients keep no cookies). */
function flashOf(res: WorkspaceResponse): string {
  const header = res.headers['set-cookie'];
  const cookies = (Array.isArray(header) ? header : [String(header ?? '')]).join('\n');
  const value = /flash=([^;.]+)/.exec(cookies)?.[1];
  if (!value) return '';
  return (JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as [string, string])[1];
}

/** The approval hash the approve form of a notice posts. */
function approvalHashOf(body: string, noticeId: string): string {
  const m = new RegExp(
    `/public/notices/${noticeId}/approve"[\\s\\S]*?name="approvalHash" value="([0-9a-f]{64})"`,
  ).exec(body);
  if (!m) throw new Error(`no approve form for notice ${noticeId}`);
  return m[1]!;
}

/** The "what will be published" part of a panel in one language, as text. */
function publishedText(body: string, audience: string, language: string): string {
  const start = body.indexOf(`id="${audience}-preview-${language}"`);
  expect(start).toBeGreaterThan(-1);
  // The preview runs to the next language's preview or to the diff.
  const next = body.slice(start + 4).search(/id="\w+-preview-/);
  const ends = [next > -1 ? next + start + 4 : -1, body.indexOf('<h3>What changed', start)];
  return text(body.slice(start, Math.min(...ends.filter((e) => e > -1))));
}

describe.each(DIALECTS)('approving public texts as snapshots on %s', (dialect) => {
  let w: WorkspaceFixture;
  let reference: string;
  let base: string;
  beforeAll(async () => {
    w = await startWorkspace(dialect);
    const created = await w.clients.rita!.post('/app/cases', {
      kind: 'incident',
      title: 'Portal break-in',
      summary: 'An attacker got into the portal.',
    });
    reference = /\/app\/cases\/([A-Z]+-\d{4}-\d{4})/.exec(created.location ?? '')![1]!;
    base = `/app/cases/${reference}/public`;
  });
  afterAll(async () => w?.close());

  async function statements(en: string) {
    const res = await w.clients.cor!.post(`/app/cases/${reference}/notices/statements`, {
      'what_happened.en': en,
      'what_happened.nl': 'Iemand las facturen in het klantportaal met een gestolen wachtwoord.',
    });
    expect(res.status, text(res.body)).toBe(303);
  }

  it('shows the resolved text, refuses a stale hash and voids on a statement edit', async () => {
    await statements('Someone read invoices in the portal with a stolen password.');
    const created = await w.clients.cor!.post(`${base}/notices`, { audience: 'public' });
    expect(created.status).toBe(303);
    let page = await w.clients.anna!.get(base);
    const noticeId = /public\/notices\/(\d+)"/.exec(page.body)![1]!;

    // What will be published: the statement in place, the template's Liquid decided.
    const en = publishedText(page.body, 'public', 'en');
    expect(en).toContain('Someone read invoices in the portal with a stolen password.');
    expect(en).toContain('We are working to close the hole.');
    expect(en).not.toMatch(/\{\{|\{%/);
    expect(publishedText(page.body, 'public', 'nl')).toContain('gestolen wachtwoord');
    // The source stays editable in the textareas.
    expect(page.body).toContain('{{ statements.what_happened }}');
    expect(page.body).not.toContain('name="contentHash"');
    expect(text(page.body)).toContain('First approval: there is no earlier approved version.');
    const seen = approvalHashOf(page.body, noticeId);

    // The statement changes while anna reads: her approval of what she saw is refused.
    await statements('Someone read invoices and addresses in the portal with a stolen password.');
    const stale = await w.clients.anna!.post(`${base}/notices/${noticeId}/approve`, {
      confirm: 'yes',
      approvalHash: seen,
    });
    expect(stale.status).toBe(303);
    expect(flashOf(stale)).toContain('changed after you opened it');
    page = await w.clients.anna!.get(base);
    expect(text(page.body)).not.toContain('Approved by anna');
    // Without a hash the route refuses too, naming the field.
    const bare = await w.clients.anna!.post(`${base}/notices/${noticeId}/approve`, {
      confirm: 'yes',
    });
    expect(flashOf(bare)).toContain('approvalHash');

    // Reading again shows the new statement and a new hash; that approval holds.
    expect(publishedText(page.body, 'public', 'en')).toContain('invoices and addresses');
    const fresh = approvalHashOf(page.body, noticeId);
    expect(fresh).not.toBe(seen);
    const approved = await w.clients.anna!.post(`${base}/notices/${noticeId}/approve`, {
      confirm: 'yes',
      approvalHash: fresh,
    });
    expect(flashOf(approved)).toBe('Approved.');
    page = await w.clients.anna!.get(base);
    expect(text(page.body)).toContain('Approved by anna');

    // A statement edit after approval voids it; the tab says why and shows the changed line.
    await statements('Someone read invoices, addresses and phone numbers in the portal.');
    page = await w.clients.anna!.get(base);
    expect(text(page.body)).not.toContain('Approved by anna');
    expect(text(page.body)).toMatch(
      /Approval voided: statement 'what happened' \(en\) changed .* — by cor at/,
    );
    expect(text(page.body)).toContain('Compared with the version anna approved on');
    const diff = page.body.slice(page.body.indexOf('id="public-diff-en"'));
    expect(diff).toMatch(
      /<ins[^>]*><span class="diff-mark">\+ <\/span>Someone read invoices, addresses and phone numbers in the portal\./,
    );
    expect(diff).toMatch(
      /<del[^>]*><span class="diff-mark">− <\/span>Someone read invoices and addresses/,
    );
    expect(publishedText(page.body, 'public', 'en')).toContain('phone numbers');
    expect(approvalHashOf(page.body, noticeId)).not.toBe(fresh);
  });

  it('marks embargoed text as held back and uses the page rendering', async () => {
    const created = await w.clients.cor!.post(`${base}/notices`, { audience: 'press' });
    expect(created.status).toBe(303);
    let page = await w.clients.cor!.get(base);
    const pressId = [...page.body.matchAll(/public\/notices\/(\d+)"/g)].at(-1)![1]!;
    await w.clients.cor!.post(`${base}/notices/${pressId}`, {
      'en.subject': 'Press: portal break-in',
      'en.body':
        '## Summary\n\n{{ statements.what_happened }}\n\n:::embargo until=resolved\nThe login check was skipped.\n:::',
      'nl.subject': 'Pers: inbraak',
      'nl.body': '{{ statements.what_happened }}',
    });
    page = await w.clients.anna!.get(base);
    const preview = page.body.slice(page.body.indexOf('id="press-preview-en"'));
    // The page's own Markdown rendering: headings move down two levels.
    expect(preview).toMatch(/<h4>Summary<\/h4>/);
    expect(preview).toContain('<p>Someone read invoices, addresses and phone numbers');
    expect(text(preview)).toMatch(
      /Held back until the case is resolved \(embargo\), not on the page yet: The login check was skipped\./,
    );
    expect(preview.indexOf('public-embargoed')).toBeGreaterThan(-1);
  });
});
