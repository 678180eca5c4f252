import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../src/domain/errors.js';
import {
  getDeliveryCurve,
  getDeliveryPage,
  getDispatchPanel,
  getRecallCurve,
} from '../../src/services/dispatch/dispatch-progress.service.js';
import {
  countOutcomesPerMinute,
  countResponsesPerDay,
  findFirstDispatchAt,
} from '../../src/store/delivery-report.repository.js';
import { findDispatch } from '../../src/store/dispatch.repository.js';
import { getDispatchProgress } from '../../src/services/dispatch/dispatch.service.js';
import { DIALECTS } from '../support/databases.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  deliveriesOf,
  type DispatchTestContext,
  type People,
  type Scenario,
} from '../dispatch/scenario.js';

/**
 * The workspace's delivery reports on both engines, over a dispatch whose outcomes are set
 * by hand at known instants: the minute and day buckets must come out the same on SQLite
 * (ISO text) and PostgreSQL (timestamptz).
 */
describe.each(DIALECTS)('delivery reports on %s', (dialect) => {
  let ctx: DispatchTestContext;
  let people: People;
  let s: Scenario;
  let dispatchId: number;
  let ids: number[];

  const setDelivery = (id: number, values: Record<string, string | null>) =>
    ctx.database.db.updateTable('deliveries').set(values).where('id', '=', id).execute();

  beforeAll(async () => {
    ctx = await createDispatchContext(dialect);
    people = await createPeople(ctx);
    s = await buildScenario(ctx, people, { customers: 12, until: 'dispatched' });
    dispatchId = s.dispatch!.id;
    await ctx.database.db
      .updateTable('dispatches')
      .set({ created_at: '2026-11-27T10:00:12.000Z' })
      .where('id', '=', dispatchId)
      .execute();
    ids = (await deliveriesOf(ctx, dispatchId)).map((d) => d.id);
    // Minute 10:00: two sent; 10:02: one sent, one bounced by the server; 10:04: two sent,
    // one failed after its retries. The rest stays queued.
    const sent = (i: number, at: string) =>
      setDelivery(ids[i]!, { state: 'sent', sent_at: at, updated_at: at, smtp_response: '250 OK' });
    await sent(0, '2026-11-27T10:00:30.000Z');
    await sent(1, '2026-11-27T10:00:59.999Z');
    await sent(2, '2026-11-27T10:02:00.000Z');
    await setDelivery(ids[3]!, {
      state: 'bounced',
      sent_at: null,
      updated_at: '2026-11-27T10:02:40.000Z',
      smtp_response: '550 5.1.1 mailbox unknown',
    });
    await sent(4, '2026-11-27T10:04:01.000Z');
    await sent(5, '2026-11-27T10:04:02.000Z');
    await setDelivery(ids[6]!, {
      state: 'failed',
      sent_at: null,
      updated_at: '2026-11-27T10:04:30.000Z',
      smtp_response: 'connection timed out (gave up after 8 attempts)',
    });
    // Responses: two on day 0, one more plus a remedy on day 2.
    const respond = (i: number, column: 'acknowledged_at' | 'remedied_at', at: string) =>
      ctx.database.db
        .updateTable('case_recipients')
        .set({ [column]: at })
        .where(
          'id',
          '=',
          ctx.database.db.selectFrom('deliveries').select('recipient_id').where('id', '=', ids[i]!),
        )
        .execute();
    await respond(0, 'acknowledged_at', '2026-11-27T11:00:00.000Z');
    await respond(1, 'acknowledged_at', '2026-11-28T10:00:11.000Z'); // 23:59:59 later: still day 0
    await respond(2, 'acknowledged_at', '2026-11-29T12:00:00.000Z');
    await respond(2, 'remedied_at', '2026-11-29T13:00:00.000Z');
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('counts outcomes per UTC minute: sent by sent_at, bounced and failed by updated_at', async () => {
    const buckets = await countOutcomesPerMinute(ctx.database.db, dialect, dispatchId);
    expect(buckets).toEqual([
      { minute: '2026-11-27T10:00', sent: 2, failed: 0 },
      { minute: '2026-11-27T10:02', sent: 1, failed: 1 },
      { minute: '2026-11-27T10:04', sent: 2, failed: 1 },
    ]);
  });

  it('fills the gaps and accumulates the delivery curve from the dispatch start', async () => {
    const dispatch = (await findDispatch(ctx.database.db, dispatchId))!;
    const curve = await getDeliveryCurve(people.vera, dispatch, ctx.deps);
    expect(curve.minutes).toEqual([
      '2026-11-27T09:59',
      '2026-11-27T10:00',
      '2026-11-27T10:01',
      '2026-11-27T10:02',
      '2026-11-27T10:03',
      '2026-11-27T10:04',
    ]);
    expect(curve.sent).toEqual([0, 2, 2, 3, 3, 5]);
    expect(curve.failed).toEqual([0, 0, 0, 1, 1, 2]);
    expect(curve.total).toBe(12);
  });

  it('reuses a curve while the settled numbers stay the same', async () => {
    const dispatch = (await findDispatch(ctx.database.db, dispatchId))!;
    const progress = await getDispatchProgress(people.vera, dispatchId, ctx.deps);
    const paused = { ...progress, state: 'paused' as const };
    const first = await getDeliveryCurve(people.vera, dispatch, ctx.deps, paused);
    const again = await getDeliveryCurve(people.vera, dispatch, ctx.deps, paused);
    expect(again).toBe(first);
    const moved = { ...paused, counts: { ...paused.counts, sent: paused.counts.sent + 1 } };
    const fresh = await getDeliveryCurve(people.vera, dispatch, ctx.deps, moved);
    expect(fresh).not.toBe(first);
    expect(fresh).toEqual(first);
  });

  it('buckets responses per day since the first dispatch', async () => {
    const since = await findFirstDispatchAt(ctx.database.db, s.caseId);
    expect(since).toBe('2026-11-27T10:00:12.000Z');
    const days = await countResponsesPerDay(ctx.database.db, dialect, s.caseId, since!);
    expect(days).toEqual([
      { day: 0, acknowledged: 2, remedied: 0 },
      { day: 2, acknowledged: 1, remedied: 1 },
    ]);
    const kase = (await getDispatchPanel(people.vera, String(s.caseId), ctx.deps)).kase;
    const curve = await getRecallCurve(
      people.vera,
      kase,
      ctx.deps,
      new Date('2026-12-01T09:00:00Z'),
    );
    expect(curve).toMatchObject({ recipients: 12, acknowledgedCount: 3, remediedCount: 1 });
    // Day 0 … day 3 (today), cumulative ratios of the 12 recipients.
    expect(curve!.acknowledged).toEqual([2 / 12, 2 / 12, 3 / 12, 3 / 12]);
    expect(curve!.remedied).toEqual([0, 0, 1 / 12, 1 / 12]);
  });

  it('pages deliveries by keyset, filters by state, searches by the start of email or name and by external id', async () => {
    const first = await getDeliveryPage(people.vera, dispatchId, { limit: 5 }, ctx.deps);
    expect(first.rows.map((r) => r.id)).toEqual(ids.slice(0, 5));
    expect(first.nextAfterId).toBe(ids[4]);
    const second = await getDeliveryPage(
      people.vera,
      dispatchId,
      { limit: 5, afterId: first.nextAfterId! },
      ctx.deps,
    );
    expect(second.rows.map((r) => r.id)).toEqual(ids.slice(5, 10));
    const last = await getDeliveryPage(
      people.vera,
      dispatchId,
      { limit: 5, afterId: second.nextAfterId! },
      ctx.deps,
    );
    expect(last.rows.map((r) => r.id)).toEqual(ids.slice(10));
    expect(last.nextAfterId).toBeNull();
    expect(first.counts).toMatchObject({ sent: 5, bounced: 1, failed: 1, queued: 5 });

    const bounced = await getDeliveryPage(people.vera, dispatchId, { state: 'bounced' }, ctx.deps);
    expect(bounced.rows).toHaveLength(1);
    expect(bounced.rows[0]).toMatchObject({
      id: ids[3],
      smtpResponse: '550 5.1.1 mailbox unknown',
      noticeId: s.noticeId,
    });
    expect(bounced.rows[0]!.messageId).toMatch(/^<candor\.\d+\.\d+@/);

    const one = s.customers[4]!;
    const byEmail = await getDeliveryPage(
      people.vera,
      dispatchId,
      { search: one.email.slice(0, 6).toUpperCase() },
      ctx.deps,
    );
    expect(byEmail.rows.map((r) => r.email)).toContain(one.email);
    const byName = await getDeliveryPage(
      people.vera,
      dispatchId,
      { search: one.name.split(' ')[0]!.toLowerCase() },
      ctx.deps,
    );
    expect(byName.rows.map((r) => r.externalId)).toContain(one.external_id);
    // A prefix, not any part: the middle of an address finds nobody (each search is an index
    // lookup; docs/workspace-dispatch.md).
    const middle = await getDeliveryPage(
      people.vera,
      dispatchId,
      { search: one.email.slice(2, -2) },
      ctx.deps,
    );
    expect(middle.rows).toEqual([]);
    const byWhole = await getDeliveryPage(
      people.vera,
      dispatchId,
      { search: ` ${one.email.toUpperCase()} ` },
      ctx.deps,
    );
    expect(byWhole.rows.map((r) => r.externalId)).toEqual([one.external_id]);
    const byId = await getDeliveryPage(
      people.vera,
      dispatchId,
      { search: one.external_id.toLowerCase() },
      ctx.deps,
    );
    expect(byId.rows.map((r) => r.externalId)).toEqual([one.external_id]);
    // The acknowledgement of the recipient shows with their delivery.
    const acked = await getDeliveryPage(
      people.vera,
      dispatchId,
      { state: 'sent', limit: 1 },
      ctx.deps,
    );
    expect(acked.rows[0]!.acknowledgedAt).toBe('2026-11-27T11:00:00.000Z');
    // Wildcards in a search are literal characters, not patterns.
    const wild = await getDeliveryPage(people.vera, dispatchId, { search: '%' }, ctx.deps);
    expect(wild.rows).toEqual([]);
    const under = await getDeliveryPage(people.vera, dispatchId, { search: '_' }, ctx.deps);
    expect(under.rows.every((r) => `${r.email}${r.name ?? ''}`.startsWith('_'))).toBe(true);
  });

  it('leaves PostgreSQL planner statistics for the deliveries a dispatch just wrote', async () => {
    if (dialect !== 'postgres') return;
    // reltuples is -1 until a table is first analyzed; without statistics the planner walked
    // every delivery of a 300,000-delivery dispatch for one page (955 ms instead of 0.2 ms).
    const { rows } = await sql<{ relname: string; reltuples: number }>`
      select relname, reltuples from pg_class
      where relname in ('deliveries', 'case_recipients') and relnamespace = current_schema()::regnamespace`.execute(
      ctx.database.db,
    );
    expect(rows.map((r) => [r.relname, Number(r.reltuples)]).sort()).toEqual([
      ['case_recipients', 12],
      ['deliveries', 12],
    ]);
  });

  it('lists the dispatches and what can be sent next', async () => {
    const panel = await getDispatchPanel(people.vera, String(s.caseId), ctx.deps);
    expect(panel.dispatches.map((d) => d.id)).toEqual([dispatchId]);
    expect(panel.sendable.map((n) => n.id)).toEqual([s.noticeId]);
    expect(panel.frozen).toEqual({ total: 12, withoutEmail: 0 });
  });

  it('refuses readers without cases:read', async () => {
    const nobody = { ...people.vera, roles: [] };
    await expect(getDeliveryPage(nobody, dispatchId, {}, ctx.deps)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });
});
