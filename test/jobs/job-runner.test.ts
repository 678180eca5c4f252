import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseLeases, JobRunner, type JobDefinition } from '../../src/jobs/job-runner.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { acquireJobLease } from '../../src/store/job-lease.repository.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts rounds and the most rounds of it that ever ran at the same time. */
function countingJob(name: string, options: { exclusive: boolean; roundMs: number }) {
  const seen = { rounds: 0, active: 0, maxActive: 0 };
  const job: JobDefinition = {
    name,
    everyMs: 5,
    exclusive: options.exclusive,
    run: async () => {
      seen.rounds++;
      seen.active++;
      seen.maxActive = Math.max(seen.maxActive, seen.active);
      await sleep(options.roundMs);
      seen.active--;
    },
  };
  return { job, seen };
}

/**
 * The job runner behind serve's scheduled work, with two runners on two connections to one
 * database standing in for two processes.
 */
describe.each(DIALECTS)('the job runner on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let second: Database;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    second = openDatabase(ctx.testDb.config);
  });
  afterAll(async () => {
    await second.close();
    await ctx.close();
  });
  const runner = (database: Database, onError: (job: string, error: unknown) => void = () => {}) =>
    new JobRunner({ leases: databaseLeases(database), onError });

  it('runs a round of an exclusive job in one process at a time', async () => {
    const { job, seen } = countingJob('exclusive-test', { exclusive: true, roundMs: 30 });
    const a = runner(ctx.database).add(job);
    const b = runner(second).add(job);
    a.start();
    b.start();
    await sleep(400);
    await Promise.all([a.stop(), b.stop()]);
    expect(seen.maxActive).toBe(1);
    expect(seen.rounds).toBeGreaterThan(3);
  });

  it('lets every process run a job whose rows are claimed one by one', async () => {
    const { job, seen } = countingJob('shared-test', { exclusive: false, roundMs: 50 });
    const a = runner(ctx.database).add(job);
    const b = runner(second).add(job);
    a.start();
    b.start();
    await sleep(20);
    await Promise.all([a.stop(), b.stop()]);
    expect(seen.maxActive).toBe(2);
  });

  it('waits for a lease left by a process that died until it runs out', async () => {
    const now = Date.now();
    await acquireJobLease(ctx.database.db, {
      name: 'orphaned-test',
      holder: 'dead-host:1:0000',
      now,
      until: now + 300,
    });
    const { job, seen } = countingJob('orphaned-test', { exclusive: true, roundMs: 0 });
    const a = runner(ctx.database).add(job);
    a.start();
    await sleep(150);
    expect(seen.rounds).toBe(0);
    await sleep(350);
    await a.stop();
    expect(seen.rounds).toBeGreaterThan(0);
  });

  it('stop() waits for the round in progress and starts no other', async () => {
    let finished = false;
    let rounds = 0;
    const a = runner(ctx.database).add({
      name: 'slow-test',
      everyMs: 1,
      exclusive: true,
      run: async () => {
        rounds++;
        await sleep(150);
        finished = true;
      },
    });
    a.start();
    await sleep(10);
    await a.stop();
    expect(finished).toBe(true);
    await sleep(50);
    expect(rounds).toBe(1);
    expect(a.liveness()['slow-test']!.alive()).toBe(false);
  });

  it('waits longer after each failed round, reports each failure, and recovers', async () => {
    const failures: string[] = [];
    let calls = 0;
    let failing = true;
    const a = runner(ctx.database, (name, error) =>
      failures.push(`${name}: ${(error as Error).message}`),
    ).add({
      name: 'failing-test',
      everyMs: 20,
      exclusive: false,
      run: async () => {
        calls++;
        if (failing) throw new Error('relay down');
      },
    });
    a.start();
    // Without backoff 20 ms apart: ~25 rounds in 500 ms; doubling (20, 40, 80, 160 ms …)
    // leaves 5 or 6.
    await sleep(500);
    expect(calls).toBeGreaterThanOrEqual(4);
    expect(calls).toBeLessThanOrEqual(7);
    expect(failures[0]).toBe('failing-test: relay down');
    expect(failures).toHaveLength(calls);
    failing = false;
    // The next round (at most one more doubled pause, 320 ms, away) goes well; after it the
    // pause is back to 20 ms: ≥ 10 rounds in the next 300 ms on an idle machine.
    await sleep(350);
    const before = calls;
    await sleep(300);
    await a.stop();
    expect(calls - before).toBeGreaterThanOrEqual(4);
  });

  it('counts a round that never ends as hung', async () => {
    let release: () => void = () => {};
    const a = runner(ctx.database).add({
      name: 'hung-test',
      everyMs: 60_000,
      exclusive: false,
      run: () => new Promise<void>((resolve) => (release = resolve)),
    });
    a.start();
    const hung = a.liveness()['hung-test']!;
    expect(hung.alive()).toBe(true);
    expect(hung.alive(Date.now() + 16 * 60_000)).toBe(false);
    release();
    await a.stop();
  });
});
