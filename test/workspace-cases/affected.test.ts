import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import {
  createCaseVia,
  flat,
  startWorkspace,
  text,
  type WorkspaceFixture,
} from './case-workspace-app.js';

describe.each(DIALECTS)('affected tab on %s', (dialect) => {
  let w: WorkspaceFixture;
  beforeAll(async () => {
    w = await startWorkspace(dialect);
  });
  afterAll(() => w.close());

  it('uploads a list: good rows in, bad rows reported with their line numbers', async () => {
    const { rita } = w.clients;
    const reference = await createCaseVia(rita!);
    const csv = [
      'external_id,domains,data',
      'K-1,bakkerij.nl,naam',
      'K-404,nowhere.nl,naam',
      ',missing.nl,naam',
      'K-2,smith.example,name',
      'K-3,too,many,fields',
    ].join('\n');
    const res = await rita!.upload(`/app/cases/${reference}/affected/upload`, {
      name: 'affected.csv',
      content: `${csv}\n`,
    });
    // POST → 303 → GET: the result page has a clean URL (no CSRF token in it).
    expect(res.via?.status).toBe(303);
    expect(res.via?.location).toBe(`/app/cases/${reference}/affected`);
    expect(res.status).toBe(200);
    const page = flat(res.body);
    expect(page).toMatch(/<dd id="upload-accepted">\s*2 \(2 new, 0 updated\)/);
    expect(page).toMatch(/<dd id="upload-rejected">3<\/dd>/);
    const rejects = text(res.body);
    expect(rejects).toMatch(/3 external_id no customer with external_id "K-404"/);
    expect(rejects).toMatch(/4 external_id missing: every row must name a customer/);
    expect(rejects).toMatch(/6 \(row\) expected 3 fields as in the header, found 4/);
    // The set now holds exactly the good rows, with their impact shown in the sample.
    const tab = await rita!.get(`/app/cases/${reference}/affected`);
    expect(flat(tab.body)).toMatch(/<dd id="affected-total">2<\/dd>/);
    // A reload is a plain GET: the result is shown once, nothing is uploaded again.
    expect(tab.body).not.toContain('upload-accepted');
    // (PostgreSQL's jsonb keeps its own key order.)
    expect(text(tab.body)).toContain('domains: bakkerij.nl');
    expect(text(tab.body)).toContain('data: naam');
  });

  it('refuses an unusable file with a message, not a crash', async () => {
    const { rita } = w.clients;
    const reference = await createCaseVia(rita!);
    const res = await rita!.upload(`/app/cases/${reference}/affected/upload`, {
      name: 'wrong.csv',
      content: 'customer,domains\nK-1,a.nl\n',
    });
    expect(res.status).toBe(400);
    expect(text(res.body)).toContain('no external_id column');
  });

  it('previews a filter live (count and sample) and shows a parse error with a caret', async () => {
    const { rita } = w.clients;
    const reference = await createCaseVia(rita!);
    const filter = 'plan = "shared" and server in ["web12", "web13"]';
    const live = await rita!.get(
      `/app/cases/${reference}/affected/preview?filter=${encodeURIComponent(filter)}`,
    );
    expect(live.status).toBe(200);
    expect(flat(live.body)).toMatch(/<dd id="filter-matches">3<\/dd>/);
    expect(live.body).toContain('K-4');
    expect(live.body).not.toContain('K-3');
    const dedicated = await rita!.get(
      `/app/cases/${reference}/affected/preview?filter=${encodeURIComponent('plan = "dedicated"')}`,
    );
    // Names from the registry are text, never markup.
    expect(dedicated.body).toContain('Piet &lt;b&gt;Bold&lt;/b&gt;');
    expect(dedicated.body).not.toContain('<b>Bold');
    expect(live.body).not.toContain('<html');

    const broken = await rita!.get(
      `/app/cases/${reference}/affected/preview?filter=${encodeURIComponent('plan = "shared" and server in ["web12"')}`,
    );
    expect(text(broken.body)).toContain('line 1, column 39');
    expect(broken.body).toContain(
      'plan = &quot;shared&quot; and server in [&quot;web12&quot;\n' + ' '.repeat(38) + '^',
    );

    // Without JavaScript: the same form's preview button answers with a whole page.
    const noJs = await rita!.post(`/app/cases/${reference}/affected/filter`, {
      filter: 'plan = shared',
      action: 'preview',
    });
    expect(noJs.status).toBe(400);
    expect(text(noJs.body)).toContain('put text in quotes');
    const preview = await rita!.post(`/app/cases/${reference}/affected/filter`, {
      filter,
      action: 'preview',
    });
    expect(preview.status).toBe(200);
    expect(flat(preview.body)).toMatch(/<dd id="filter-matches">3<\/dd>/);
  });

  it('saves a filter, refuses to save one that does not parse, and lets a viewer only look', async () => {
    const { rita, vera } = w.clients;
    const reference = await createCaseVia(rita!);
    const bad = await rita!.post(`/app/cases/${reference}/affected/filter`, {
      filter: 'plan == "shared"',
      action: 'save',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('class="case-pointer"');
    const saved = await rita!.post(`/app/cases/${reference}/affected/filter`, {
      filter: 'plan = "vps"',
      action: 'save',
    });
    expect(saved.status).toBe(303);
    const tab = await rita!.get(`/app/cases/${reference}/affected`);
    expect(flat(tab.body)).toMatch(/<dd id="affected-total">1<\/dd>/);
    expect(tab.body).toContain('K-5');

    const viewerTab = await vera!.get(`/app/cases/${reference}/affected`);
    expect(viewerTab.status).toBe(200);
    expect(viewerTab.body).not.toContain('/affected/upload');
    const viewerPreview = await vera!.post(`/app/cases/${reference}/affected/filter`, {
      filter: 'plan = "shared"',
      action: 'preview',
    });
    expect(viewerPreview.status).toBe(200);
    const viewerSave = await vera!.post(`/app/cases/${reference}/affected/filter`, {
      filter: 'plan = "shared"',
      action: 'save',
    });
    expect(viewerSave.status).toBe(403);
    const viewerUpload = await vera!.upload(`/app/cases/${reference}/affected/upload`, {
      name: 'a.csv',
      content: 'external_id\nK-1\n',
    });
    expect(viewerUpload.status).toBe(403);
    const after = await rita!.get(`/app/cases/${reference}/affected`);
    expect(flat(after.body)).toMatch(/<dd id="affected-total">1<\/dd>/);
  });
});
