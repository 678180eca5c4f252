import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { getDispatchProgress } from '../../src/services/dispatch/dispatch.service.js';
import { DIALECTS } from '../support/databases.js';
import { spawnSmtpPeer, type SmtpPeerProcess } from '../support/smtp-peer.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  deliveriesOf,
  type DispatchTestContext,
} from './scenario.js';
import { spawnWorker, stopWorker, type WorkerProcess } from './worker-process.js';

const RECIPIENTS = 4000;
const IN_FLIGHT = 50;
const KILLS = 6;

/**
 * Crash safety, as the design promises it: a `candor worker` killed with SIGKILL at random
 * moments, restarted each time, still reaches every recipient, and re-sends at most its
 * in-flight window (CANDOR_DISPATCH_INFLIGHT) per kill. The SMTP peer runs in its own process.
 */
describe.each(DIALECTS)('a worker killed mid-dispatch on %s', { timeout: 120_000 }, (dialect) => {
  let ctx: DispatchTestContext;
  let peer: SmtpPeerProcess;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    ctx = await createDispatchContext(dialect);
    peer = await spawnSmtpPeer();
  });
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await peer?.close();
    await ctx?.close();
  });

  it('misses nobody and duplicates at most the in-flight window per kill', async () => {
    const s = await buildScenario(ctx, await createPeople(ctx), {
      customers: RECIPIENTS,
      until: 'dispatched',
    });
    const id = s.dispatch!.id;
    const progress = () => getDispatchProgress(systemActor(), id, ctx.deps);
    const sent = async () => (await peer.stats()).deliveries;
    // Slow enough that six kills land while the dispatch is still sending.
    const env = { CANDOR_DISPATCH_INFLIGHT: String(IN_FLIGHT), CANDOR_DISPATCH_RATE: '600' };

    let kills = 0;
    const killedAt: number[] = [];
    while (kills < KILLS) {
      const worker = spawnWorker(ctx.testDb.config, peer.url, env);
      workers.push(worker);
      await worker.running;
      // Kill only once this worker is really sending, then at a random moment.
      const before = await sent();
      const deadline = Date.now() + 15_000;
      while ((await sent()) <= before + 10 && Date.now() < deadline) await sleep(20);
      await sleep(100 + Math.random() * 700);
      worker.child.kill('SIGKILL');
      const { signal } = await worker.exited;
      expect(signal).toBe('SIGKILL');
      kills++;
      const p = await progress();
      killedAt.push(p.counts.sent);
      expect(p.state).toBe('running');
    }

    const last = spawnWorker(ctx.testDb.config, peer.url, env);
    workers.push(last);
    const deadline = Date.now() + 60_000;
    let p = await progress();
    while (p.state !== 'completed' && Date.now() < deadline) {
      await sleep(100);
      p = await progress();
    }
    expect(await stopWorker(last)).toBe(0);
    expect(p).toMatchObject({ state: 'completed', total: RECIPIENTS, done: RECIPIENTS });
    expect(p.counts.sent).toBe(RECIPIENTS);

    const counts = await peer.counts();
    const missed = s.customers.filter((c) => !(counts[c.email]! >= 1));
    expect(missed).toEqual([]);
    expect(Object.keys(counts)).toHaveLength(RECIPIENTS);
    const duplicates = Object.values(counts).reduce((sum, n) => sum + n - 1, 0);
    const deliveries = await deliveriesOf(ctx, id);
    expect(deliveries.filter((d) => d.state !== 'sent')).toEqual([]);
    // Each duplicate is a delivery claimed again after a kill; each kill leaves at most the
    // in-flight window claimed.
    const reclaimed = deliveries.filter((d) => d.attempts > 1).length;
    const summary = `${kills} kills (after ${killedAt.join(', ')} sent): ${duplicates} duplicates, ${reclaimed} re-claimed`;
    expect(duplicates, summary).toBeLessThanOrEqual(IN_FLIGHT * kills);
    expect(reclaimed, summary).toBeGreaterThanOrEqual(duplicates);
    expect(reclaimed, summary).toBeLessThanOrEqual(IN_FLIGHT * kills);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
