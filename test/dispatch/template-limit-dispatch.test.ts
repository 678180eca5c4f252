import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotHash } from '../../src/domain/notices/notice-snapshot.js';
import { getDispatchProgress } from '../../src/services/dispatch/dispatch.service.js';
import { approvalSnapshot } from '../../src/services/notices/notice-approval.service.js';
import { findApproval } from '../../src/store/notice-approval.repository.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  deliveriesOf,
  makeWorker,
  type DispatchTestContext,
  type People,
} from './scenario.js';

const APPEND_BOMB =
  '{% assign s = "xxxxxxxxxx" %}{% for i in (1..22) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}';

/**
 * A template over the render limits in an approved snapshot (approved before the limits
 * existed, or written into the database by hand) fails every delivery at once for good: the
 * limit is hit the same way on every retry.
 */
describe.each(DIALECTS)('dispatch of a template over the render limits on %s', (dialect) => {
  let ctx: DispatchTestContext;
  let people: People;
  let smtp: SmtpPeer;

  beforeAll(async () => {
    ctx = await createDispatchContext(dialect);
    people = await createPeople(ctx);
    smtp = await startSmtpPeer();
  });
  afterAll(async () => {
    await smtp.close();
    await ctx.close();
  });

  it('fails each delivery at once, with the limit as the reason, and sends nothing', async () => {
    const s = await buildScenario(ctx, people, { customers: 3, until: 'dispatched' });
    const db = ctx.database.db;
    const approvalId = Number(
      (
        await db
          .selectFrom('dispatches')
          .select('approval_id')
          .where('id', '=', s.dispatch!.id)
          .executeTakeFirstOrThrow()
      ).approval_id,
    );
    const snapshot = approvalSnapshot((await findApproval(db, approvalId))!);
    for (const text of Object.values(snapshot.texts)) text.body = `${text.body}\n\n${APPEND_BOMB}`;
    await db
      .updateTable('notice_approvals')
      .set({ snapshot: JSON.stringify(snapshot), snapshot_hash: snapshotHash(snapshot) })
      .where('id', '=', approvalId)
      .execute();
    const { worker, transport } = makeWorker(ctx, smtp.url);
    try {
      expect(await worker.runOnce()).toBe(3);
      const rows = await deliveriesOf(ctx, s.dispatch!.id);
      for (const row of rows) {
        expect(row).toMatchObject({
          state: 'failed',
          attempts: 1,
          sent_at: null,
        });
        expect(row.smtp_response).toMatch(
          /^cannot be rendered: body: the template builds too much data \(memory limit/,
        );
      }
      expect(smtp.total()).toBe(0);
      expect(await worker.runOnce()).toBe(0);
      const progress = await getDispatchProgress(people.vera, s.dispatch!.id, ctx.deps);
      expect(progress).toMatchObject({ state: 'completed', counts: { failed: 3 } });
    } finally {
      transport.close();
    }
  });
});
