import { contextOn } from '../../src/wiring.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { systemActor } from '../../src/domain/access.js';
import {
  importCustomers,
  type ImportOptions,
  type ImportSummary,
} from '../../src/services/customers/customer-import.service.js';
import type { Dialect } from '../../src/store/database.js';
import { readJson, jsonObject } from '../../src/store/executor.js';
import type { CustomerRow } from '../../src/store/schema.js';
import type { AppContext } from '../../src/wiring.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

/** An app context over a fresh test database, built the way src/wiring.ts builds one. */
export interface TestContext extends AppContext {
  test: TestDatabase;
  /** A scratch folder for files, removed by close(). */
  dir: string;
}

/** Creates a migrated database of the dialect and the context around it. */
export async function createTestContext(dialect: Dialect): Promise<TestContext> {
  const test = await createTestDatabase(dialect);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-customers-'));
  const config = { ...loadConfig({ CANDOR_DATA_DIR: dir }), database: test.config };
  const { database } = test;
  return {
    ...contextOn(config, database),
    test,
    dir,
    async close() {
      await test.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Empties the registry and the import history between tests that share one database. */
export async function resetCustomers(ctx: TestContext): Promise<void> {
  await ctx.database.db.deleteFrom('customers').execute();
  await ctx.database.db.deleteFrom('customer_imports').execute();
}

/** Streams a text or byte body in small chunks, as a file or socket would deliver it. */
export function chunked(body: string | Buffer, size = 4096): Readable {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    })(),
  );
}

/** A writable that collects what is written to it, like a rejects file. */
export class Collector extends Writable {
  private readonly parts: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.parts.push(Buffer.from(chunk));
    done();
  }
  /** Everything written so far, as UTF-8 text. */
  text(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }
}

/** Imports a body as the CLI operator. */
export async function runImport(
  ctx: AppContext,
  body: string | Buffer,
  options: Partial<ImportOptions> = {},
): Promise<ImportSummary> {
  return importCustomers(systemActor(), chunked(body), { source: 'test', ...options }, ctx.deps);
}

/** A stored customer with its attributes parsed, or undefined. */
export async function customer(
  ctx: AppContext,
  externalId: string,
): Promise<
  (Omit<CustomerRow, 'attributes'> & { attributes: Record<string, unknown> }) | undefined
> {
  const row = await ctx.database.db
    .selectFrom('customers')
    .selectAll()
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return row && { ...row, attributes: readJson(row.attributes, jsonObject) };
}

/** The number of rows in a table. */
export async function countRows(
  ctx: AppContext,
  table: 'customers' | 'customer_imports' | 'audit_events',
): Promise<number> {
  const { n } = await ctx.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** The invariant every summary keeps. */
export function sumOf(s: ImportSummary): number {
  return s.inserted + s.updated + s.duplicates + s.rejected;
}
