import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDispatchProgress } from '../../src/services/dispatch/dispatch.service.js';
import { systemActor } from '../../src/domain/access.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  deliveriesOf,
  runWorker,
  waitForDispatch,
  type DispatchTestContext,
  type People,
} from './scenario.js';

/**
 * The mail relay goes away in the middle of a dispatch and comes back a little later (a
 * restart, a failover). Deliveries are deferred, not failed; the progress says why and when
 * the next try is; once the relay is back everyone is sent, nobody twice.
 */
describe.each(DIALECTS)('the mail relay unreachable for a while on %s', (dialect) => {
  let ctx: DispatchTestContext;
  let people: People;
  let smtp: SmtpPeer;

  beforeAll(async () => {
    ctx = await createDispatchContext(dialect);
    people = await createPeople(ctx);
  });
  afterAll(async () => {
    await smtp?.close();
    await ctx?.close();
  });

  it('defers, says why, and sends everyone once the relay is back', async () => {
    smtp = await startSmtpPeer({
      faults: ({ stage }) => (stage === 'data' ? { delayMs: 10 } : undefined),
    });
    const port = smtp.port;
    const s = await buildScenario(ctx, people, { customers: 120, until: 'dispatched' });
    const id = s.dispatch!.id;
    const worker = await runWorker(ctx, smtp.url, { retryBaseMs: 300 });
    try {
      await smtp.waitFor(15, 20_000);
      const before = new Map(smtp.received);
      await smtp.close();
      const waiting = await waitForDispatch(ctx, id, (p) => p.counts.deferred > 0, 20_000);
      expect(waiting.state).toBe('running');
      expect(waiting.counts.failed).toBe(0);
      expect(waiting.deferral?.response).toMatch(/ECONNREFUSED|connect/i);
      expect(Date.parse(waiting.deferral!.nextAttemptAt)).toBeGreaterThan(Date.now() - 1000);

      // The relay is back, on the same address.
      smtp = await startSmtpPeer({ port });
      const done = await waitForDispatch(ctx, id, undefined, 60_000);
      expect(done.counts).toMatchObject({ sent: 120, failed: 0, deferred: 0 });
      expect(done.deferral).toBeNull();
      const rows = await deliveriesOf(ctx, id);
      for (const [rcpt, n] of smtp.received) expect(n + (before.get(rcpt) ?? 0), rcpt).toBe(1);
      expect(smtp.total() + [...before.values()].reduce((a, b) => a + b, 0)).toBe(rows.length);
      const progress = await getDispatchProgress(systemActor(), id, ctx.deps);
      expect(progress.state).toBe('completed');
    } finally {
      await worker.stop();
    }
  }, 120_000);
});
