import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../../src/config.js';
import { openDatabase } from '../../src/store/database.js';
import { allMigrations } from '../../src/store/migrations/index.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { runCandor } from '../support/candor-process.js';
import { databaseUrl, DIALECTS, dropConfig, freshConfig } from '../support/databases.js';

/** The tables in the test database (SQLite file or PostgreSQL schema). */
async function tables(config: DatabaseConfig): Promise<string[]> {
  if (config.dialect === 'sqlite') {
    if (!fs.existsSync(config.file)) return [];
    const db = new BetterSqlite3(config.file, { readonly: true });
    try {
      return (
        db.prepare("select name from sqlite_master where type = 'table' order by name").all() as {
          name: string;
        }[]
      ).map((r) => r.name);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      'select table_name from information_schema.tables where table_schema = $1',
      [config.schema],
    );
    return rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

// Kysely applies migrations in name order, whatever order the record lists them in.
const names = Object.keys(allMigrations('sqlite')).sort();
const LATEST = names.at(-1)!;

/**
 * Only `migrate`, `serve` and `demo` change the schema. Any other command on a database
 * behind this build refuses with one line saying what to run, and leaves it untouched.
 */
describe.each(DIALECTS)('commands on an unmigrated %s database', (dialect) => {
  let config: DatabaseConfig;
  let dataDir: string;
  let where: { dataDir: string; databaseUrl: string };

  beforeEach(async () => {
    config = await freshConfig(dialect);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-gate-'));
    where = { dataDir, databaseUrl: databaseUrl(config) };
  });
  afterEach(async () => {
    await dropConfig(config);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses on a fresh database, creates no tables; after `candor migrate` it works', async () => {
    const refused = await runCandor(['users', 'list'], where);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `error: database schema is at nothing yet (an empty database), this candor needs ${LATEST}; run \`candor migrate\`\n`,
    );
    // A worker does not migrate either: upgrades are one `candor migrate`, not a race of workers.
    const worker = await runCandor(['worker'], where);
    expect(worker.code).toBe(1);
    expect(worker.stderr).toContain('run `candor migrate`');
    expect(await tables(config)).toEqual([]);

    const migrated = await runCandor(['migrate'], where);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain(`applied ${LATEST}`);

    const listed = await runCandor(['users', 'list'], where);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
  }, 60_000);

  it('refuses on a database one migration behind, naming both versions', async () => {
    const database = openDatabase(config);
    const previous = names.at(-2)!;
    expect((await migrateToLatest(database, { upTo: previous })).error).toBeUndefined();
    await database.close();
    const before = (await tables(config)).sort();

    const refused = await runCandor(['audit', 'verify'], where);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `database schema is at ${previous}, this candor needs ${LATEST}; run \`candor migrate\``,
    );
    expect((await tables(config)).sort()).toEqual(before);

    expect((await runCandor(['migrate'], where)).code).toBe(0);
    const verified = await runCandor(['audit', 'verify'], where);
    expect(verified.code).toBe(0);
  }, 60_000);
});
