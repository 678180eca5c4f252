import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import {
  getDispatchProgress,
  startDispatch,
} from '../../src/services/dispatch/dispatch.service.js';
import { spawnSmtpPeer, type SmtpPeerProcess } from '../support/smtp-peer.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  deliveriesOf,
  type DispatchTestContext,
} from './scenario.js';
import { spawnWorker, stopWorker, type WorkerProcess } from './worker-process.js';

const RECIPIENTS = 5000;

/**
 * Scale-out on PostgreSQL: several `candor worker` processes claim from one dispatch with
 * FOR UPDATE SKIP LOCKED and never send anyone the same notice twice. (SQLite has one
 * writer; one worker per database is its deployment.)
 */
describe('three workers sharing one dispatch on postgres', { timeout: 120_000 }, () => {
  let ctx: DispatchTestContext;
  let peer: SmtpPeerProcess;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    ctx = await createDispatchContext('postgres');
    peer = await spawnSmtpPeer();
  });
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await peer?.close();
    await ctx?.close();
  });

  it('sends every recipient exactly once, with every worker taking a share', async () => {
    const people = await createPeople(ctx);
    const s = await buildScenario(ctx, people, { customers: RECIPIENTS, until: 'approved' });
    // No kills here, so no need for a short stale timeout; a rate per worker keeps the
    // dispatch busy long enough for all three to claim.
    const env = {
      CANDOR_DISPATCH_HEARTBEAT_SECONDS: '0.5',
      CANDOR_DISPATCH_STALE_SECONDS: '10',
      CANDOR_DISPATCH_RATE: '800',
    };
    for (let i = 0; i < 3; i++) workers.push(spawnWorker(ctx.testDb.config, peer.url, env));
    await Promise.all(workers.map((w) => w.running));
    const { id } = await startDispatch(people.sanne, s.noticeId, ctx.deps);

    // claimed_by is cleared when a batch is recorded, so watch the claims while they last.
    const claimers = new Map<string, number>();
    const deadline = Date.now() + 90_000;
    for (;;) {
      const rows = await ctx.database.db
        .selectFrom('deliveries')
        .select(['claimed_by', (eb) => eb.fn.countAll<number>().as('n')])
        .where('dispatch_id', '=', id)
        .where('state', '=', 'sending')
        .groupBy('claimed_by')
        .execute();
      for (const r of rows) {
        const key = r.claimed_by ?? '(none)';
        claimers.set(key, Math.max(claimers.get(key) ?? 0, Number(r.n)));
      }
      const p = await getDispatchProgress(systemActor(), id, ctx.deps);
      if (p.state === 'completed' || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await Promise.all(workers.map(stopWorker))).toEqual([0, 0, 0]);

    const progress = await getDispatchProgress(systemActor(), id, ctx.deps);
    expect(progress).toMatchObject({ state: 'completed', total: RECIPIENTS, done: RECIPIENTS });
    const counts = await peer.counts();
    expect(Object.keys(counts)).toHaveLength(RECIPIENTS);
    expect(Object.entries(counts).filter(([, n]) => n !== 1)).toEqual([]);
    for (const c of s.customers) expect(counts[c.email]).toBe(1);
    const deliveries = await deliveriesOf(ctx, id);
    expect(deliveries.filter((d) => d.state !== 'sent' || d.attempts !== 1)).toEqual([]);

    // Every worker was seen holding claims, none beyond its window; stopping cleanly
    // deregistered them all.
    const seen = [...claimers.keys()].filter((k) => k !== '(none)');
    const byPid = (ids: number[]) => ids.sort((a, b) => a - b);
    expect(byPid(seen.map((id) => Number(id.split(':')[1])))).toEqual(
      byPid(workers.map((w) => w.child.pid ?? 0)),
    );
    for (const held of claimers.values()) expect(held).toBeLessThanOrEqual(50);
    const registered = await ctx.database.db.selectFrom('dispatch_workers').select('id').execute();
    expect(registered).toEqual([]);
  });
});
