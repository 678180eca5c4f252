import { describe, expect, it } from 'vitest';
import { createTransport } from '../../src/dispatch/worker-wiring.js';
import { startBackgroundLoops } from '../../src/jobs/background-loops.js';
import { databaseLeases, JobRunner } from '../../src/jobs/job-runner.js';
import { releaseDueEmbargoes } from '../../src/services/publication/embargo-release.service.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpPeer } from '../support/smtp-peer.js';
import { createDispatchContext } from '../dispatch/scenario.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `serve` closes the database when it shuts down. Every loop it started must have stopped,
 * and finished the round it was in, before that: otherwise the round (or the next tick)
 * queries a closed store.
 */
describe.each(DIALECTS)('stopping the background loops of serve on %s', (dialect) => {
  for (const runFor of [0, 150]) {
    it(`stops every loop before the store closes (stopped after ${runFor} ms)`, async () => {
      const ctx = await createDispatchContext(dialect);
      const smtp = await startSmtpPeer();
      const transport = createTransport(ctx.config, smtp.url);
      const problems: string[] = [];
      const onRejection = (reason: unknown) => problems.push(`unhandled: ${String(reason)}`);
      process.on('unhandledRejection', onRejection);
      try {
        const loops = await startBackgroundLoops(ctx, transport, {
          withWorker: true,
          log: (message, fields) => problems.push(`${message} ${JSON.stringify(fields ?? {})}`),
          onError: (what, error) => problems.push(`${what}: ${String(error)}`),
          intervalsMs: { embargo: 5, clock: 5, outbox: 5, workerPoll: 5 },
        });
        await sleep(runFor);
        await loops.stop();
        await ctx.close();
        // Several intervals of every loop pass with the store closed.
        await sleep(300);
        expect(problems).toEqual([]);
      } finally {
        process.off('unhandledRejection', onRejection);
        transport.close();
        await smtp.close();
      }
    });
  }

  it('the embargo job waits for its round in progress', async () => {
    const ctx = await createDispatchContext(dialect);
    const errors: unknown[] = [];
    let rounds = 0;
    const jobs = new JobRunner({
      leases: databaseLeases(ctx.database),
      onError: (_, error) => errors.push(error),
    }).add({
      name: 'embargoes',
      everyMs: 5,
      exclusive: true,
      run: () => releaseDueEmbargoes(ctx.deps).then(() => void rounds++),
    });
    // The first round starts at once; stop lands while it runs.
    jobs.start();
    await jobs.stop();
    expect(rounds).toBe(1);
    await ctx.close();
    await sleep(100);
    expect(errors).toEqual([]);
  });
});
