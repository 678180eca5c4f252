import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { customersToCsv, generateCustomers } from '../../src/demo/customer-generator.js';
import {
  importCustomers,
  type ImportProgress,
} from '../../src/services/customers/customer-import.service.js';
import { DIALECTS } from '../support/databases.js';
import { countRows, createTestContext, customer, type TestContext } from './context.js';

const COUNT = 50_000;
const SEED = 4242;

/** The generated file as 64 KiB chunks, the way a file stream delivers it. */
function generatedFile(): Buffer[] {
  const chunks: Buffer[] = [];
  let text = '';
  for (const line of customersToCsv(COUNT, SEED)) {
    text += line;
    if (text.length >= 65_536) {
      chunks.push(Buffer.from(text, 'utf8'));
      text = '';
    }
  }
  chunks.push(Buffer.from(text, 'utf8'));
  return chunks;
}

/** A realistic volume goes in completely, streamed: batches are written while the file is read. */
describe.each(DIALECTS)('a %s import of 50,000 generated customers', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('imports every row, writing batches before the whole file was read', async () => {
    const chunks = generatedFile();
    const size = chunks.reduce((n, c) => n + c.length, 0);
    let chunksRead = 0;
    let rowsStoredBeforeEnd = 0;
    const input = Readable.from(
      (async function* () {
        for (const chunk of chunks) {
          // Just before the last chunk: rows from earlier batches must already be in the store.
          if (chunksRead === chunks.length - 1)
            rowsStoredBeforeEnd = await countRows(ctx, 'customers');
          chunksRead++;
          yield chunk;
        }
      })(),
    );
    const progress: ImportProgress[] = [];
    const summary = await importCustomers(
      systemActor(),
      input,
      { source: 'generated.csv', onProgress: (p) => progress.push(p) },
      ctx.deps,
    );

    expect(summary).toMatchObject({
      total: COUNT,
      inserted: COUNT,
      updated: 0,
      duplicates: 0,
      rejected: 0,
      format: 'csv',
      encoding: 'utf8',
    });
    expect(chunksRead).toBe(chunks.length);
    expect(rowsStoredBeforeEnd).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.some((p) => p.bytes < size)).toBe(true);
    expect(await countRows(ctx, 'customers')).toBe(COUNT);

    const indexes = new Set([0, 1, 20_000, COUNT - 1]);
    let i = 0;
    for (const c of generateCustomers(COUNT, SEED)) {
      if (indexes.has(i++)) {
        expect(await customer(ctx, c.external_id)).toMatchObject({
          email: c.email,
          name: c.name,
          language: c.language,
          street: c.street,
          postal_code: c.postal_code,
          city: c.city,
          country: c.country,
          attributes: { plan: c.plan, server: c.server, domains: c.domains, since: c.since },
        });
      }
    }
    const history = await ctx.database.db.selectFrom('customer_imports').selectAll().execute();
    expect(history).toMatchObject([{ status: 'completed', total: COUNT, inserted: COUNT }]);
  });
});
