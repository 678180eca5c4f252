import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBuiltinTemplate } from '../../src/domain/notices/builtin-templates.js';
import { toReadable } from '../../src/domain/notices/notice-chips.js';
import { DIALECTS } from '../support/databases.js';
import {
  createCaseVia,
  flat,
  startWorkspace,
  text,
  type WorkspaceClient,
  type WorkspaceResponse,
  type WorkspaceFixture,
} from './case-workspace-app.js';

const NL = findBuiltinTemplate('incident', 'nl');
const EN = findBuiltinTemplate('incident', 'en');

/** The flash message a redirect sets (the test client does not keep cookies). */
function flashOf(res: WorkspaceResponse): string {
  const raw = ([] as unknown[]).concat(res.headers['set-cookie'] ?? []).map(String);
  const cookie = raw.find((c) => c.startsWith('candor_flash='))!;
  const value = decodeURIComponent(cookie.split(';')[0]!.split('=')[1]!).split('.')[0]!;
  return (JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as string[])[1]!;
}

/** The editor's fields as the page sends them: readable text with chips (interface: en). */
function readableForm(nlBody: string, extra: Record<string, string> = {}) {
  return {
    'nl.format': 'readable',
    'nl.subject': toReadable(NL.subject, 'en'),
    'nl.body': nlBody,
    'en.format': 'readable',
    'en.subject': toReadable(EN.subject, 'en'),
    'en.body': toReadable(EN.body, 'en'),
    lang: 'nl',
    ...extra,
  };
}

describe.each(DIALECTS)('notice editor on %s', (dialect) => {
  let w: WorkspaceFixture;
  let base: string;
  let noticeId: string;
  let c: Record<string, WorkspaceClient>;

  beforeAll(async () => {
    w = await startWorkspace(dialect);
    c = w.clients;
    const reference = await createCaseVia(c.rita!);
    base = `/app/cases/${reference}/notices`;
    const list = await c.rita!.upload(`/app/cases/${reference}/affected/upload`, {
      name: 'list.csv',
      content: 'external_id,domains,data\nK-1,bakkerij.nl,naam\nK-2,smith.example,name\n',
    });
    expect(list.status).toBe(200);
    const created = await c.cor!.post(base, {});
    noticeId = /notice=(\d+)/.exec(created.location!)![1]!;
  });
  afterAll(() => w.close());

  it('edits statements side by side, with an error next to the field', async () => {
    const page = await c.cor!.get(`${base}?notice=${noticeId}`);
    const markup = flat(page.body);
    expect(markup).toMatch(/<label for="statement-what_happened-nl"\s*>What happened — Dutch</);
    expect(markup).toMatch(/<label for="statement-what_happened-en"\s*>What happened — English</);
    expect(text(page.body)).toContain('Plain words: what happened, when, to which systems');
    const bad = await c.cor!.post(`${base}/statements?notice=${noticeId}`, {
      'what_happened.nl': 'Iemand kwam binnen.',
      'what_happened.en': 'Dear {{ customer.name }}, someone got in.',
    });
    expect(bad.status).toBe(400);
    const badMarkup = flat(bad.body);
    expect(badMarkup).toMatch(
      /id="statement-what_happened\.en-error">statements cannot hold placeholders/,
    );
    expect(badMarkup).toMatch(/id="statement-what_happened-en"[^>]*aria-invalid="true"/);
    // What was typed stays in the fields.
    expect(bad.body).toContain('Iemand kwam binnen.</textarea');
    const good = await c.cor!.post(`${base}/statements`, {
      'what_happened.nl': 'Iemand kwam binnen via een gestolen sleutel.',
      'what_happened.en': 'Someone got in with a stolen key.',
    });
    expect(good.status).toBe(303);
    const after = await c.cor!.get(`${base}?notice=${noticeId}&lang=en&sample=K-2`);
    expect(after.body).toContain('Someone got in with a stolen key.</textarea');
    expect(flashOf(good)).toBe('Texts saved.');
  });

  it('shows the notice as readable chips and stores the right Liquid from them', async () => {
    const page = await c.cor!.get(`${base}?notice=${noticeId}`);
    expect(page.body).toContain('Dear [[Customer name]],');
    expect(page.body).toContain('[[What happened]]');
    expect(page.body).not.toMatch(
      /<textarea[^>]*id="notice-en-body"[^>]*>[^<]*\{\{ customer\.name/,
    );
    // The source stays available, in a details element.
    expect(flat(page.body)).toContain(
      '<summary>Advanced: template source (saved version)</summary>',
    );
    // The chip list.
    expect(page.body).toMatch(/data-chip="\[\[Case reference\]\]"/);
    const body = `${toReadable(NL.body, 'en')}\n\n[[if: leak contained]]Het lek is dicht ([[Case reference]]).[[end]]`;
    const saved = await c.cor!.post(`${base}/${noticeId}`, readableForm(body));
    expect(saved.status).toBe(303);
    const api = await c.cor!.get(`${base}?notice=${noticeId}`);
    expect(api.body).toContain(
      '{% if facts.contained %}Het lek is dicht ({{ case.reference }}).{% endif %}',
    );
    expect(api.body).toContain(
      '[[if: leak contained]]Het lek is dicht ([[Case reference]]).[[end]]',
    );
  });

  it('refuses an unknown chip next to its field and keeps the typed text', async () => {
    const res = await c.cor!.post(
      `${base}/${noticeId}`,
      readableForm('Beste [[Customer nmae]],\n\n[[What happened]]'),
    );
    expect(res.status).toBe(400);
    expect(flat(res.body)).toMatch(
      /id="notice-nl\.body-error">line 1:7: unknown placeholder \[\[Customer nmae\]\]/,
    );
    expect(res.body).toContain('Beste [[Customer nmae]],');
  });

  it('previews the draft as the mail HTML for any recipient and language', async () => {
    const form = readableForm(
      'Beste [[Customer name]],\n\n[[What happened]]\n\nDomeinen: [[Their domains (list)]].',
    );
    const k1 = await c.cor!.post(`${base}/${noticeId}/preview.html`, { ...form, sample: 'K-1' });
    expect(k1.status).toBe(200);
    expect(k1.headers['content-security-policy']).toMatch(/^sandbox; default-src 'none'/);
    expect(k1.body).toMatch(/^<!doctype html>/i);
    expect(k1.body).toContain('Marieke Jansen');
    expect(k1.body).toContain('Iemand kwam binnen via een gestolen sleutel.');
    expect(k1.body).toContain('bakkerij.nl');
    const k2 = await c.cor!.post(`${base}/${noticeId}/preview.html`, {
      ...form,
      lang: 'en',
      sample: 'K-2',
    });
    expect(k2.body).toContain('Someone got in with a stolen key.');
    expect(k2.body).not.toContain('Marieke Jansen');
    // The live panel names an unknown chip with its place.
    const live = await c.cor!.post(`${base}/${noticeId}/live`, {
      ...readableForm('Beste [[Klant naam]],'),
      sample: 'K-1',
    });
    expect(text(live.body)).toContain('body, line 1:7: unknown placeholder [[Klant naam]]');
    // One preview button: the old "show preview" route is gone.
    expect((await c.cor!.post(`${base}/${noticeId}/show`, form)).status).toBe(404);
  });

  it('shows the approver the diff since the last approval and refuses a stale approvalHash', async () => {
    const first = await c.anna!.get(`${base}?notice=${noticeId}`);
    expect(text(first.body)).toContain('First approval: there is no earlier approved version.');
    const hash = /name="approvalHash"\s+value="([0-9a-f]{64})"/.exec(first.body)![1]!;
    // A statement changes after the approver opened the page: that hash is stale.
    await c.cor!.post(`${base}/statements`, {
      'what_happened.en': 'Someone got in with a stolen API key.',
    });
    const stale = await c.anna!.post(`${base}/${noticeId}/approve`, {
      confirm: 'yes',
      approvalHash: hash,
    });
    expect(stale.status).toBe(400);
    expect(text(stale.body)).toContain('changed after you opened it');
    const fresh = await c.anna!.get(`${base}?notice=${noticeId}`);
    const freshHash = /name="approvalHash"\s+value="([0-9a-f]{64})"/.exec(fresh.body)![1]!;
    expect(
      (
        await c.anna!.post(`${base}/${noticeId}/approve`, {
          confirm: 'yes',
          approvalHash: freshHash,
        })
      ).status,
    ).toBe(303);
    // A statement edit voids it, the flash says so, and the approver sees the changed line.
    const edit = await c.cor!.post(`${base}/statements`, {
      'what_happened.en': 'Someone got in with a stolen key; we revoked it.',
    });
    expect(edit.status).toBe(303);
    expect(flashOf(edit)).toContain(
      `approval of notice ${noticeId} voided: statement 'what happened' (en) changed`,
    );
    const review = await c.anna!.get(`${base}?notice=${noticeId}`);
    const diff = flat(review.body);
    expect(text(review.body)).toMatch(/Approval voided: statement 'what happened' \(en\) changed/);
    expect(diff).toMatch(
      /<del title="removed"\s*><span class="diff-mark">− <\/span>Someone got in with a stolen API key\.<\/del/,
    );
    expect(diff).toMatch(
      /<ins title="added"\s*><span class="diff-mark">\+ <\/span>Someone got in with a stolen key; we revoked it\.<\/ins/,
    );
    expect(text(review.body)).toContain('Dutch No changes.');
  });
});
