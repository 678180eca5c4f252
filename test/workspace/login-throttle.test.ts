import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADDRESS_LIMIT,
  lockDurationMs,
  MAX_LOCK_MS,
  recordFailure,
  recordSuccess,
  reserveAttempt,
  retryAfterMs,
} from '../../src/services/access/login-throttle.service.js';
import type { Database } from '../../src/store/database.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';

describe('lock durations', () => {
  it('are free for a few failures, then double, capped at 15 minutes', () => {
    expect([1, 2, 3, 4].map(lockDurationMs)).toEqual([0, 0, 0, 0]);
    expect(lockDurationMs(5)).toBe(2_000);
    expect(lockDurationMs(6)).toBe(4_000);
    expect(lockDurationMs(10)).toBe(64_000);
    expect(lockDurationMs(15)).toBe(MAX_LOCK_MS);
    expect(lockDurationMs(10_000)).toBe(MAX_LOCK_MS);
  });
});

describe.each(DIALECTS)('login throttle in the store on %s', (dialect) => {
  let test: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    database = test.database;
  });
  afterAll(() => test.destroy());

  it('locks one account at one address, not elsewhere, and forgets after a success', async () => {
    const t0 = Date.parse('2026-11-27T03:00:00Z');
    const here = { scope: 'password' as const, account: 'ann', ip: '203.0.113.1' };
    const there = { ...here, ip: '198.51.100.2' };
    for (let i = 0; i < 4; i++) await recordFailure(database, here, t0);
    expect(await retryAfterMs(database, here, t0)).toBe(0);
    await recordFailure(database, here, t0);
    expect(await retryAfterMs(database, here, t0)).toBe(2_000);
    expect(await retryAfterMs(database, here, t0 + 2_000)).toBe(0);
    await recordFailure(database, here, t0 + 2_000);
    expect(await retryAfterMs(database, here, t0 + 2_000)).toBe(4_000);
    expect(await retryAfterMs(database, there, t0 + 2_000)).toBe(0);
    // TOTP attempts count apart from passwords.
    expect(await retryAfterMs(database, { ...here, scope: 'totp' }, t0 + 2_000)).toBe(0);
    // An attempt during a lock is refused and not counted: the lock does not grow.
    expect(await reserveAttempt(database, here, t0 + 3_000)).toEqual({
      allowed: false,
      retryAfterMs: 3_000,
    });
    expect(await retryAfterMs(database, here, t0 + 3_000)).toBe(3_000);
    // Failing again after each lock ends doubles it, never beyond the cap.
    let t = t0 + 6_000;
    for (let i = 0; i < 12; i++, t += MAX_LOCK_MS) {
      expect((await reserveAttempt(database, here, t)).allowed).toBe(true);
    }
    t -= MAX_LOCK_MS;
    expect(await retryAfterMs(database, here, t)).toBe(MAX_LOCK_MS);
    await recordSuccess(database, here);
    expect(await retryAfterMs(database, here, t)).toBe(0);
  });

  it('locks an address that sprays passwords over many accounts', async () => {
    const t0 = Date.parse('2026-11-27T04:00:00Z');
    const ip = '192.0.2.77';
    for (let i = 0; i < ADDRESS_LIMIT - 1; i++) {
      await recordFailure(database, { scope: 'password', account: `user${i}`, ip }, t0);
    }
    const fresh = { scope: 'password' as const, account: 'someone-else', ip };
    expect(await retryAfterMs(database, fresh, t0)).toBe(0);
    await recordFailure(database, { scope: 'password', account: 'one-more', ip }, t0);
    expect(await retryAfterMs(database, fresh, t0)).toBe(15 * 60_000);
    expect(await retryAfterMs(database, { ...fresh, ip: '192.0.2.78' }, t0)).toBe(0);
  });
});

describe.each(DIALECTS)('login throttle memory on %s', (dialect) => {
  it('forgets an account’s failures after an hour without one, not while they go on', async () => {
    const test = await createTestDatabase(dialect);
    try {
      const who = { scope: 'password' as const, account: 'bob', ip: '203.0.113.5' };
      const t0 = Date.parse('2026-11-27T05:00:00Z');
      for (let i = 0; i < 5; i++) await recordFailure(test.database, who, t0 + i * 50 * 60_000);
      // Failures 50 minutes apart keep counting: the fifth locks.
      expect(await retryAfterMs(test.database, who, t0 + 200 * 60_000)).toBe(2_000);
      // After more than an hour of quiet the next failure counts as the first.
      await recordFailure(test.database, who, t0 + 300 * 60_000);
      const row = await test.database.db
        .selectFrom('login_throttle')
        .select('failures')
        .where('key', '=', 'password:bob|203.0.113.5')
        .executeTakeFirstOrThrow();
      expect(Number(row.failures)).toBe(1);
    } finally {
      await test.destroy();
    }
  });
});
