import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPostureContent } from '../../src/demo/demo-posture.js';
import { postureFormValues } from '../../src/http/views/workspace/posture-form.js';
import { postureOverview } from '../../src/services/publication/posture.service.js';
import { systemActor } from '../../src/domain/access.js';
import { dayOf } from '../../src/domain/posture/posture.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';

describe.each(DIALECTS)('the posture editor in the workspace on %s', (dialect) => {
  let h: WorkspaceHarness;
  let writer: string;
  let approver: string;
  let responder: string;
  let viewer: string;
  beforeAll(async () => {
    h = await createHarness(dialect, { requireTotpForAdmins: false });
    await h.addUser('joost', ['communicator']);
    await h.addUser('fatima', ['approver']);
    await h.addUser('sanne', ['responder']);
    await h.addUser('vera', ['viewer']);
    [writer, approver, responder, viewer] = (await Promise.all(
      ['joost', 'fatima', 'sanne', 'vera'].map((u) => h.login(u)),
    )) as [string, string, string, string];
  });
  afterAll(() => h.close());

  it('is in the nav; a viewer reads but cannot edit; opening the editor writes nothing', async () => {
    const overview = await h.get('/app/posture', viewer);
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain('href="/app/posture"');
    expect(overview.body).not.toContain('href="/app/posture/edit"');
    expect((await h.get('/app/posture/edit', viewer)).statusCode).toBe(403);
    const editor = await h.get('/app/posture/edit', writer);
    expect(editor.statusCode).toBe(200);
    expect(editor.body).toContain(
      'Beleid inzake risicoanalyse en beveiliging van informatiesystemen',
    );
    expect(editor.body).toContain('name="m9_status"');
    // The blank row for an own item claims nothing: planned, no evidence.
    expect(editor.body).toMatch(/name="m10_status"[^]*?<option value="planned"\s+selected/);
    expect(editor.body).toMatch(/name="m10_evidence"[^]*?<option value="none"\s+selected/);
    const state = await postureOverview(systemActor('test'), h.ctx.deps);
    expect(state.open).toBeNull();
  });

  it('names the bad field, keeps what was typed, then saves', async () => {
    const values = postureFormValues(demoPostureContent(new Date()));
    const bad = await h.post(
      '/app/posture/edit',
      { ...values, m2_checkedBy: 'external', m2_auditor: '', m3_validUntil: '2026-02-30' },
      writer,
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('id="posture-m2_auditor-error"');
    expect(bad.body).toContain('an external check names its auditor');
    expect(bad.body).toContain('id="posture-m3_validUntil-error"');
    expect(bad.body).toContain(values.m2_description_nl!);
    const ok = await h.post('/app/posture/edit', values, writer);
    expect(ok.statusCode).toBe(303);
    const page = await h.get('/app/posture', writer);
    expect(page.body).toContain('id="posture-draft"');
  });

  it('four eyes: the writer cannot approve; the approver can; the responder publishes', async () => {
    const asWriter = await h.get('/app/posture', writer);
    expect(asWriter.body).not.toContain('action="/app/posture/approve"');
    expect((await h.post('/app/posture/approve', {}, writer)).statusCode).toBe(403);
    const page = await h.get('/app/posture', approver);
    // The approver reads what they sign off, in both languages, on the same page.
    const demo = demoPostureContent(new Date());
    expect(page.body).toContain(demo.measures[2]!.description.nl);
    expect(page.body).toContain(demo.measures[2]!.reason.en);
    expect(page.body).toContain(demo.commitments[0]!.text.en);
    const hash = /name="hash" value="([0-9a-f]{64})"/.exec(page.body)![1]!;
    const approved = await h.post('/app/posture/approve', { hash }, approver);
    expect(approved.statusCode).toBe(303);
    const published = await h.post('/app/posture/publish', {}, responder);
    expect(published.statusCode).toBe(303);
    const state = await postureOverview(systemActor('test'), h.ctx.deps);
    expect(state.open).toBeNull();
    expect(state.published[0]).toMatchObject({
      number: 1,
      approvedBy: 'fatima',
      publishedBy: 'sanne',
    });
    expect((await h.get('/app/posture', viewer)).body).toContain('id="posture-current"');
  });

  it('the dashboard warns 30 days before the statement lapses, and once it has', async () => {
    expect((await h.get('/app', responder)).body).not.toContain('id="posture-warning"');
    const soon = demoPostureContent(new Date());
    soon.validUntil = dayOf(new Date(Date.now() + 10 * 86_400_000));
    await h.post('/app/posture/edit', postureFormValues(soon), writer);
    const page = await h.get('/app/posture', approver);
    const hash = /name="hash" value="([0-9a-f]{64})"/.exec(page.body)![1]!;
    await h.post('/app/posture/approve', { hash }, approver);
    await h.post('/app/posture/publish', {}, responder);
    const dashboard = await h.get('/app', responder);
    expect(dashboard.body).toContain('id="posture-warning"');
    expect(dashboard.body).toContain('verloopt over 10 dagen');

    const lapsed = { ...soon, validUntil: dayOf(new Date(Date.now() - 86_400_000)) };
    await h.post('/app/posture/edit', postureFormValues(lapsed), writer);
    const again = await h.get('/app/posture', approver);
    const hash2 = /name="hash" value="([0-9a-f]{64})"/.exec(again.body)![1]!;
    await h.post('/app/posture/approve', { hash: hash2 }, approver);
    await h.post('/app/posture/publish', {}, responder);
    expect((await h.get('/app', responder)).body).toContain('is verlopen op');
  });
});
