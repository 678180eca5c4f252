import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBuiltinTemplate } from '../../src/domain/notices/builtin-templates.js';
import { DIALECTS } from '../support/databases.js';
import {
  createCaseVia,
  flat,
  startWorkspace,
  text,
  type WorkspaceClient,
  type WorkspaceFixture,
} from './case-workspace-app.js';

const NL = findBuiltinTemplate('incident', 'nl');
const EN = findBuiltinTemplate('incident', 'en');

/** The editor's fields for both languages, as the browser would post them. */
function editorForm(nl: { subject: string; body: string }, extra: Record<string, string> = {}) {
  return {
    'nl.subject': nl.subject,
    'nl.body': nl.body,
    'en.subject': EN.subject,
    'en.body': EN.body,
    lang: 'nl',
    ...extra,
  };
}

describe.each(DIALECTS)('notices tab on %s', (dialect) => {
  let w: WorkspaceFixture;
  let reference: string;
  let base: string;
  let noticeId: string;
  let c: Record<string, WorkspaceClient>;

  beforeAll(async () => {
    w = await startWorkspace(dialect);
    c = w.clients;
    reference = await createCaseVia(c.rita!);
    base = `/app/cases/${reference}/notices`;
    // K-4 is on the list without domains: a required {{ impact.domains }} is missing for them.
    const list = await c.rita!.upload(`/app/cases/${reference}/affected/upload`, {
      name: 'list.csv',
      content:
        'external_id,domains,data\nK-1,bakkerij.nl,naam\nK-2,smith.example,name\nK-4,,naam\n',
    });
    expect(list.status).toBe(200);
  });
  afterAll(() => w.close());

  it('creates a notice from the built-in templates and previews it as a real recipient', async () => {
    const created = await c.cor!.post(base, {});
    expect(created.status).toBe(303);
    noticeId = /notice=(\d+)/.exec(created.location!)![1]!;
    const page = await c.cor!.get(`${base}?notice=${noticeId}&lang=nl&sample=K-1`);
    expect(page.status).toBe(200);
    const markup = flat(page.body);
    expect(markup).toContain('<label for="notice-nl-subject">Subject</label>');
    expect(markup).toContain('<label for="notice-en-body">');
    expect(markup).toContain('id="notice-nl-body"');
    // Rendered by the real renderer for K-1: their name and their impact.
    expect(text(page.body)).toContain('Preview for Marieke Jansen (K-1), in Dutch');
    expect(text(page.body)).toContain('Beste Marieke Jansen,');
    expect(text(page.body)).toContain('bakkerij.nl');
    // The page may frame its own preview, and nothing else changes in its policy.
    expect(page.headers['content-security-policy']).toContain("frame-src 'self'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const frame = /<iframe[^>]*src="([^"]+)"[^>]*>/.exec(markup)!;
    expect(frame[0]).toContain('sandbox=""');
    const src = frame[1]!.replace(/&amp;/g, '&');
    const email = await c.cor!.get(src);
    expect(email.status).toBe(200);
    expect(email.headers['content-security-policy']).toMatch(/^sandbox; default-src 'none'/);
    expect(email.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(email.body).toContain('Marieke Jansen');
    expect(email.body).toMatch(/^<!doctype html>/i);
  });

  it('reports unknown placeholders with line:column and values missing for the chosen recipient', async () => {
    const draft = editorForm({
      subject: 'Datalek {{ case.reference }}',
      body: 'Beste {{ customer.name }},\n\nUw domeinen: {{ impact.domains }}.\nZie {{ impact.nonsense }}.',
    });
    const live = await c.cor!.post(`${base}/${noticeId}/live`, { ...draft, sample: 'K-1' });
    expect(live.status).toBe(200);
    expect(text(live.body)).toContain('body, line 4:8: unknown placeholder {{ impact.nonsense }}');
    const missing = await c.cor!.post(`${base}/${noticeId}/live`, {
      ...editorForm({
        subject: 'Datalek',
        body: 'Beste {{ customer.name }}, {{ impact.domains }}',
      }),
      sample: 'K-4',
    });
    expect(text(missing.body)).toContain('A value is missing for Zonder Mail (K-4):');
    expect(text(missing.body)).toContain('{{ impact.domains }}');
    // The draft rendered into the frame without being saved.
    const frame = await c.cor!.post(`${base}/${noticeId}/preview.html`, {
      ...editorForm({ subject: 'Concept', body: 'Beste {{ customer.name }}, dit is een concept.' }),
      sample: 'K-2',
    });
    expect(frame.headers['content-security-policy']).toContain('sandbox');
    expect(frame.body).toContain('dit is een concept');
    expect(frame.body).toContain('John Smith');

    // Saved, the approval panel lists the problem and the approval is refused.
    const saved = await c.cor!.post(`${base}/${noticeId}`, draft);
    expect(saved.status).toBe(303);
    const page = await c.anna!.get(`${base}?notice=${noticeId}`);
    expect(text(page.body)).toContain('unknown placeholder {{ impact.nonsense }}');
    const refused = await c.anna!.post(`${base}/${noticeId}/approve`, { confirm: 'yes' });
    expect(refused.status).toBe(400);
    expect(text(refused.body)).toContain('unknown placeholder {{ impact.nonsense }}');
    const empty = await c.cor!.post(`${base}/${noticeId}`, editorForm({ subject: ' ', body: 'x' }));
    expect(empty.status).toBe(400);
    expect(text(empty.body)).toContain('must not be empty');
  });

  it('tells an author plainly that four eyes forbid them to approve, and refuses a forced post', async () => {
    const saved = await c.carla!.post(
      `${base}/${noticeId}`,
      editorForm({ subject: NL.subject, body: NL.body }),
    );
    expect(saved.status).toBe(303);
    const page = await c.carla!.get(`${base}?notice=${noticeId}`);
    expect(text(page.body)).toContain(
      'You (carla) wrote part of this notice. The four-eyes rule therefore forbids you to approve it',
    );
    expect(page.body).not.toContain(`action="${base}/${noticeId}/approve"`);
    expect(flat(page.body)).toMatch(/<dd id="notice-editors">cor, carla<\/dd>/);
    const forced = await c.carla!.post(`${base}/${noticeId}/approve`, { confirm: 'yes' });
    expect(forced.status).toBe(403);
    expect(text(forced.body)).toContain('four-eyes rule');
    // A communicator without the approver role sees why, and is refused too.
    const cor = await c.cor!.get(`${base}?notice=${noticeId}`);
    expect(cor.body).not.toContain(`action="${base}/${noticeId}/approve"`);
    expect((await c.cor!.post(`${base}/${noticeId}/approve`, { confirm: 'yes' })).status).toBe(403);
    // A viewer may read the notice but not change it.
    expect((await c.vera!.get(`${base}?notice=${noticeId}`)).status).toBe(200);
    expect((await c.vera!.post(`${base}/${noticeId}`, editorForm(NL))).status).toBe(403);
    expect((await c.vera!.post(base, {})).status).toBe(403);
  });

  it('keeps a notice to its own case', async () => {
    const other = await createCaseVia(c.rita!);
    for (const url of [
      `/app/cases/${other}/notices/${noticeId}/preview.html`,
      `/app/cases/${other}/notices?notice=${noticeId}&lang=nl`,
    ]) {
      const res = await c.cor!.get(url);
      if (url.includes('preview.html')) expect(res.status).toBe(404);
      else expect(res.body).not.toContain(`/notices/${noticeId}/`);
    }
    expect(
      (await c.cor!.post(`/app/cases/${other}/notices/${noticeId}`, editorForm(NL))).status,
    ).toBe(404);
    expect(
      (await c.anna!.post(`/app/cases/${other}/notices/${noticeId}/approve`, { confirm: 'yes' }))
        .status,
    ).toBe(404);
  });

  it('lets an approver who wrote nothing approve this exact version', async () => {
    // The templates tell what happened from the case's statements: written first.
    const statements = await c.cor!.post(`${base}/statements`, {
      'what_happened.nl': 'Iemand kwam binnen via een gestolen sleutel.',
      'what_happened.en': 'Someone got in with a stolen key.',
    });
    expect(statements.status).toBe(303);
    const page = await c.anna!.get(`${base}?notice=${noticeId}`);
    expect(page.body).toContain(`action="${base}/${noticeId}/approve"`);
    const hash = /name="approvalHash"\s+value="([0-9a-f]{64})"/.exec(page.body)![1]!;
    // Approving needs the ticked "I understand" box; the server checks it.
    const unticked = await c.anna!.post(`${base}/${noticeId}/approve`, { approvalHash: hash });
    expect(unticked.status).toBe(400);
    expect(text(unticked.body)).toContain('Not done: tick the box');
    expect(flat(unticked.body)).toContain('name="confirm" value="yes" required');
    const approved = await c.anna!.post(`${base}/${noticeId}/approve`, {
      confirm: 'yes',
      approvalHash: hash,
    });
    expect(approved.status).toBe(303);
    const after = await c.anna!.get(`${base}?notice=${noticeId}`);
    expect(flat(after.body)).toMatch(/id="notice-status"\s*>approved</);
    expect(text(after.body)).toMatch(/Approved by anna,/);
    // An edit afterwards voids it: the panel says so.
    await c.cor!.post(
      `${base}/${noticeId}`,
      editorForm({ subject: `${NL.subject} (bijgewerkt)`, body: NL.body }),
    );
    const changed = await c.anna!.get(`${base}?notice=${noticeId}`);
    // The approval is void (the service's rule); the panel says why, by whom, and what changed.
    expect(flat(changed.body)).toMatch(/id="notice-status"\s*>(draft|changed since approval)</);
    expect(text(changed.body)).toMatch(
      /Approval voided: notice text \(nl\) changed .* — by cor at/,
    );
    const diff = flat(changed.body);
    expect(diff).toMatch(
      /<ins title="added"\s*><span class="diff-mark">\+ <\/span>Subject: [^<]*\(bijgewerkt\)<\/ins/,
    );
    expect(diff).toMatch(/<del title="removed"\s*><span class="diff-mark">− <\/span>Subject: /);
    expect(text(changed.body)).toContain('English No changes.');
  });
});
