import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * While another connection (another process: the CLI importing next to the server) holds the
 * SQLite write lock, a write of the server's waits for it without stopping the event loop, so
 * requests that need no lock are still answered. Before, SQLite's busy handler slept the main
 * thread for up to 10 s.
 */
describe('waiting for the SQLite write lock', () => {
  let test: TestDatabase | null = null;
  afterEach(async () => {
    await test?.destroy();
    test = null;
  });

  it.each([
    ['a transaction', 'transaction'],
    ['an autocommit write', 'autocommit'],
  ] as const)(
    'keeps the event loop running while %s waits, then writes',
    async (_name, kind) => {
      test = await createTestDatabase('sqlite');
      const { db } = test.database;
      if (test.config.dialect !== 'sqlite') throw new Error('unreachable');
      await sql`create table lock_probe (n integer)`.execute(db);
      const other = new BetterSqlite3(test.config.file);
      other.exec('BEGIN IMMEDIATE');
      other.exec('INSERT INTO lock_probe VALUES (1)');

      // The event loop's pulse: the longest gap between 10 ms ticks.
      let last = performance.now();
      let longestGap = 0;
      const pulse = setInterval(() => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - last);
        last = now;
      }, 10);
      // The other connection lets go after 1.5 s — on this same thread, so a blocked event loop
      // would never get there (and the write would fail after the busy timeout).
      const held = 1_500;
      const started = performance.now();
      const release = setTimeout(() => other.exec('COMMIT'), held);
      const write =
        kind === 'transaction'
          ? db.transaction().execute((tx) => sql`insert into lock_probe values (2)`.execute(tx))
          : sql`insert into lock_probe values (2)`.execute(db);
      try {
        await write;
      } finally {
        clearInterval(pulse);
        clearTimeout(release);
        other.close();
      }
      expect(performance.now() - started).toBeGreaterThanOrEqual(held - 20);
      expect(longestGap, 'longest stall of the event loop (ms)').toBeLessThan(250);
      const rows = await sql<{ n: number }>`select n from lock_probe order by n`.execute(db);
      expect(rows.rows.map((r) => r.n)).toEqual([1, 2]);
    },
    30_000,
  );
});
