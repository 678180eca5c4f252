import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNotice } from '../../src/services/notices/notice.service.js';
import { systemActor } from '../../src/domain/access.js';
import { DIALECTS } from '../support/databases.js';
import {
  createCaseVia,
  startWorkspace,
  text,
  type WorkspaceClient,
  type WorkspaceFixture,
} from './case-workspace-app.js';

/**
 * The approval bypass, tried through the workspace: after approval a responder edits the case
 * title and summary, records a milestone, and a communicator edits a statement. What the notice
 * says stays what was approved; an input it uses voids the approval, and the page says why.
 */
describe.each(DIALECTS)('approval bypass through the workspace on %s', (dialect) => {
  let w: WorkspaceFixture;
  let c: Record<string, WorkspaceClient>;
  let reference: string;
  let base: string;
  let noticeId: number;

  const hashOf = async () => {
    const page = await c.anna!.get(`${base}?notice=${noticeId}`);
    return /name="approvalHash"\s+value="([0-9a-f]{64})"/.exec(page.body)![1]!;
  };
  const status = async () => (await getNotice(systemActor('test'), noticeId, w.ctx.deps)).status;

  beforeAll(async () => {
    w = await startWorkspace(dialect);
    c = w.clients;
    reference = await createCaseVia(c.rita!);
    base = `/app/cases/${reference}/notices`;
    const list = await c.rita!.upload(`/app/cases/${reference}/affected/upload`, {
      name: 'list.csv',
      content: 'external_id,domains,data\nK-1,bakkerij.nl,naam\nK-2,smith.example,name\n',
    });
    expect(list.status).toBe(200);
    const created = await c.cor!.post(base, {});
    noticeId = Number(/notice=(\d+)/.exec(created.location!)![1]!);
    const approved = await c.anna!.post(`${base}/${noticeId}/approve`, {
      confirm: 'yes',
      approvalHash: await hashOf(),
    });
    expect(approved.status).toBe(303);
    expect(await status()).toBe('approved');
  });
  afterAll(() => w?.close());

  it('keeps the approval when the internal title and summary change: notices do not use them', async () => {
    const res = await c.rita!.post(`/app/cases/${reference}/facts`, {
      title: 'Renamed after approval',
      summary: 'Visit https://evil.example/reset to keep your account.',
    });
    expect(res.status).toBe(303);
    expect(await status()).toBe('approved');
    const preview = await c.anna!.get(`${base}/${noticeId}/preview.html?lang=en&sample=K-2`);
    expect(preview.body).not.toContain('evil.example');
    expect(preview.body).not.toContain('Renamed after approval');
  });

  it('voids the approval when a milestone the notice states is recorded, and says why', async () => {
    const res = await c.rita!.post(`/app/cases/${reference}/events`, {
      kind: 'contained',
      at: '2026-11-27T09:00',
      text: 'Closed the hole',
    });
    expect(res.status).toBe(303);
    expect(await status()).toBe('changed-since-approval');
    const page = text((await c.anna!.get(`${base}?notice=${noticeId}`)).body);
    expect(page).toMatch(
      /Approval voided: case contained date changed \(timeline event\) — by rita/,
    );
    // A dispatch now is refused until someone approves again.
    const dispatch = await c.rita!.post(`/app/cases/${reference}/dispatches`, {
      notice_id: String(noticeId),
      confirm: 'yes',
    });
    // Refused: the tab is shown again with the reason, and no dispatch exists.
    expect(dispatch.status).toBe(303);
    expect(
      await w.ctx.database.db
        .selectFrom('dispatches')
        .select('id')
        .where('notice_id', '=', noticeId)
        .execute(),
    ).toEqual([]);
  });

  it('voids a fresh approval when a statement it uses is edited in the workspace', async () => {
    expect(
      (
        await c.anna!.post(`${base}/${noticeId}/approve`, {
          confirm: 'yes',
          approvalHash: await hashOf(),
        })
      ).status,
    ).toBe(303);
    const edit = await c.cor!.post(`${base}/statements`, {
      'what_happened.en': 'Visit https://evil.example/reset to keep your account.',
    });
    expect(edit.status).toBe(303);
    expect(await status()).toBe('changed-since-approval');
    const view = await getNotice(systemActor('test'), noticeId, w.ctx.deps);
    expect(view.voided).toMatchObject({ by: 'cor' });
    expect(view.voided!.reason).toContain("statement 'what happened' (en) changed");
  });
});
