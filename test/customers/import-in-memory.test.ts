import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { systemActor } from '../../src/domain/access.js';
import { importCustomers } from '../../src/services/customers/customer-import.service.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { contextOn, type AppContext } from '../../src/wiring.js';
import { chunked } from './context.js';

/**
 * An in-memory SQLite database cannot be shared with a writer thread, so the import writes on
 * the caller's connection, holding it one batch at a time: the same counts, dry run or not.
 */
describe('customer import into an in-memory SQLite database', () => {
  let database: Database;
  let ctx: AppContext;
  beforeAll(async () => {
    database = openDatabase({ dialect: 'sqlite', file: ':memory:' });
    const report = await migrateToLatest(database);
    if (report.error) throw new Error(report.error.message);
    ctx = contextOn(loadConfig({}), database);
  });
  afterAll(() => database.close());

  const count = async () =>
    Number(
      (
        await database.db
          .selectFrom('customers')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const run = (body: string, dryRun: boolean, onProgress?: () => void) =>
    importCustomers(systemActor(), chunked(body), { source: 'test', dryRun, onProgress }, ctx.deps);

  it('counts a dry run as the real run, changes nothing, and serves other queries between batches', async () => {
    await run('external_id,name\nK1,Known\n', false);
    // Three write batches, a repeat across batches, a reject and an existing customer.
    const rows = ['external_id,name,email', 'K1,Known again,'];
    for (let i = 0; i < 5_000; i++) rows.push(`N${i},New ${i},`);
    rows.push('N1,New again,', 'X,Bad,not-an-email');
    const body = `${rows.join('\n')}\n`;

    // A query asked after the first of three batches is answered before the last one.
    let batches = 0;
    const asked: { probe?: Promise<number> } = {};
    const summary = await run(body, true, () => {
      batches++;
      asked.probe ??= count().then(() => batches);
    });
    expect(batches).toBe(3);
    expect(await asked.probe, 'batches written when the query was answered').toBeLessThan(3);
    const counts = { total: 5_003, inserted: 5_000, updated: 1, duplicates: 1, rejected: 1 };
    expect(summary).toMatchObject({ dryRun: true, ...counts });
    expect(summary.duplicateLines).toEqual([{ line: 5_003, previousLine: 4, externalId: 'N1' }]);
    expect(await count()).toBe(1);

    expect(await run(body, false)).toMatchObject({ dryRun: false, ...counts });
    expect(await count()).toBe(5_001);
  });
});
