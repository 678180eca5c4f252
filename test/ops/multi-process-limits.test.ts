import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MissLimiter } from '../../src/http/routes/public/miss-limiter.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { missesOf } from '../../src/store/miss-count.repository.js';
import { contextOn } from '../../src/wiring.js';
import { createDispatchContext, type DispatchTestContext } from '../dispatch/scenario.js';
import { buildPageApp } from '../personal-page/page-app.js';
import { DIALECTS } from '../support/databases.js';

/**
 * The public pages' miss limiters count in the database, so N `candor serve` processes give a
 * scanner the limit plus at most one miss per other server, not N × the limit. Each "server"
 * here has its own connection pool (on SQLite its own connection to the file).
 */
describe.each(DIALECTS)('miss limits shared by several servers on %s', (dialect) => {
  let ctx: DispatchTestContext;
  let second: Database;
  beforeAll(async () => {
    ctx = await createDispatchContext(dialect);
    second = openDatabase(ctx.testDb.config);
  });
  afterAll(async () => {
    await second?.close();
    await ctx?.close();
  });

  it('lets the limit plus one miss per other server through, then both servers refuse', async () => {
    let now = 5_000_000;
    const limit = { misses: 5, windowMs: 60_000 };
    const a = new MissLimiter(ctx.database, 'scope-1', limit, () => now);
    const b = new MissLimiter(second, 'scope-1', limit, () => now);
    const ip = '198.51.100.7';
    let allowed = 0;
    // The scanner alternates between the servers as a round-robin balancer would.
    for (let i = 0; i < 20; i++) {
      const server = i % 2 === 0 ? a : b;
      if (server.retryAfter(ip) > 0) continue;
      allowed++;
      await server.recordMiss(ip);
    }
    // Per process it would have been 2 × 5 = 10.
    expect(allowed).toBe(limit.misses + 1);
    expect(a.retryAfter(ip)).toBe(60);
    expect(b.retryAfter(ip)).toBe(60);
    // Another address, and the same address in another limiter's scope, are not affected.
    expect(a.retryAfter('198.51.100.8')).toBe(0);
    expect(new MissLimiter(ctx.database, 'scope-2', limit, () => now).retryAfter(ip)).toBe(0);

    // The window ends: both let the client try again, and the count starts over.
    now += 60_000;
    expect(a.retryAfter(ip)).toBe(0);
    expect(b.retryAfter(ip)).toBe(0);
    await b.recordMiss(ip);
    expect(await missesOf(ctx.database.db, { scope: 'scope-1', client: ip }, now - 60_000)).toBe(1);
  });

  it('counts every one of many concurrent misses on two servers', async () => {
    const limit = { misses: 1000, windowMs: 60_000 };
    const a = new MissLimiter(ctx.database, 'scope-concurrent', limit);
    const b = new MissLimiter(second, 'scope-concurrent', limit);
    const ip = '203.0.113.50';
    await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).recordMiss(ip)));
    const since = Date.now() - 60_000;
    expect(await missesOf(ctx.database.db, { scope: 'scope-concurrent', client: ip }, since)).toBe(
      60,
    );
  });

  it('counts an IPv6 /64 as one client, and clears ended windows', async () => {
    let now = 9_000_000;
    const limit = { misses: 2, windowMs: 1_000 };
    const a = new MissLimiter(ctx.database, 'scope-v6', limit, () => now);
    await a.recordMiss('2001:db8:1:2::10');
    await a.recordMiss('2001:db8:1:2:ffff::99');
    expect(a.retryAfter('2001:db8:1:2::abcd')).toBe(1);
    expect(a.retryAfter('2001:db8:1:3::10')).toBe(0);
    const rows = () =>
      ctx.database.db
        .selectFrom('miss_counts')
        .where('scope', '=', 'scope-v6')
        .selectAll()
        .execute();
    expect((await rows()).map((r) => r.client)).toEqual(['2001:db8:1:2::/64']);
    // Two windows later another client's miss clears the ended window.
    now += 2_000;
    await a.recordMiss('192.0.2.1');
    expect((await rows()).map((r) => r.client)).toEqual(['192.0.2.1']);
  });

  it('two servers answer 429 to wrong personal-page links after 20 + 1 misses between them', async () => {
    const appA = await buildPageApp(ctx);
    const appB = await buildPageApp(contextOn(ctx.config, second));
    try {
      const ip = '203.0.113.77';
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        const app = i % 2 === 0 ? appA : appB;
        statuses.push((await app.inject({ url: `/n/guess-${i}`, remoteAddress: ip })).statusCode);
      }
      // Per process each would have allowed 20: 30 misses without a single 429.
      expect(statuses.filter((s) => s === 404)).toHaveLength(21);
      expect(statuses.slice(21).every((s) => s === 429)).toBe(true);
      const blocked = await appB.inject({ url: '/n/guess-x', remoteAddress: ip });
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(500);
    } finally {
      await appA.close();
      await appB.close();
    }
  });
});
