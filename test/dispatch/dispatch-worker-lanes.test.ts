import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DispatchWorker } from '../../src/dispatch/dispatch-worker.js';
import { createTransport } from '../../src/dispatch/worker-wiring.js';
import { createDispatchRenderer } from '../../src/services/dispatch/dispatch-renderer.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  deliveriesOf,
  waitForDispatch,
  type DispatchTestContext,
  type People,
} from './scenario.js';

/**
 * A worker runs two claim lanes. A nudge (a dispatch was started) and a stop must reach both:
 * an idle lane left asleep waits out its whole poll interval (here a minute).
 */
describe.each(DIALECTS)('the claim lanes of a worker on %s', (dialect) => {
  let ctx: DispatchTestContext;
  let people: People;
  let smtp: SmtpPeer;

  beforeAll(async () => {
    ctx = await createDispatchContext(dialect);
    people = await createPeople(ctx);
    smtp = await startSmtpPeer();
  });
  afterAll(async () => {
    await smtp?.close();
    await ctx?.close();
  });

  it('stops at once when both lanes are idle', async () => {
    const transport = createTransport(ctx.config, smtp.url);
    const worker = new DispatchWorker({
      database: ctx.database,
      transport,
      rendererFor: (id) => createDispatchRenderer(id, ctx.deps),
      lanes: 2,
      pollMs: 60_000,
    });
    await worker.start();
    // Both lanes found nothing and went to sleep.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await worker.stop();
    transport.close();
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 20_000);

  it('a nudge wakes every idle lane, and a finished dispatch leaves no renderer behind', async () => {
    // Slow answers keep each claimed batch in 'sending' for a while: with both lanes awake
    // two batches (2 × 5) are claimed at once, with one lane only one.
    const slow = await startSmtpPeer({
      faults: ({ stage }) => (stage === 'data' ? { delayMs: 300 } : undefined),
    });
    const transport = createTransport(ctx.config, slow.url);
    const worker = new DispatchWorker({
      database: ctx.database,
      transport,
      rendererFor: (id) => createDispatchRenderer(id, ctx.deps),
      lanes: 2,
      inFlight: 10,
      pollMs: 60_000,
    });
    await worker.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const s = await buildScenario(ctx, people, { customers: 40, until: 'dispatched' });
      const id = s.dispatch!.id;
      worker.nudge();
      let most = 0;
      const deadline = Date.now() + 5_000;
      while (most < 10 && Date.now() < deadline) {
        const sending = (await deliveriesOf(ctx, id)).filter((d) => d.state === 'sending');
        most = Math.max(most, sending.length);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(most).toBe(10);
      const done = await waitForDispatch(ctx, id);
      expect(done.counts.sent).toBe(40);
      expect(worker.cachedRenderers()).toEqual([]);
    } finally {
      await worker.stop();
      transport.close();
      await slow.close();
    }
  }, 30_000);
});
