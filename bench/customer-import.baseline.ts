import BetterSqlite3 from 'better-sqlite3';
import { generateCustomers } from '../src/demo/customer-generator.js';

/** Rows per transaction: the same as Candor's SQLite import batches. */
const BATCH_ROWS = 2_000;

// The customers table of the foundation migration, on SQLite.
const CREATE_TABLE = `
  CREATE TABLE customers (
    id integer PRIMARY KEY AUTOINCREMENT,
    external_id text NOT NULL UNIQUE,
    email text, name text, language text NOT NULL, street text, postal_code text, city text,
    country text, attributes text NOT NULL, created_at text NOT NULL, updated_at text NOT NULL,
    import_id integer, import_line integer)`;

const INSERT = `
  INSERT INTO customers (external_id, email, name, language, street, postal_code, city, country,
                         attributes, created_at, updated_at, import_id, import_line)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** How long the bare insert loop took. */
export interface BaselineOutcome {
  seconds: number;
  rows: number;
}

/**
 * The floor Candor's SQLite import is compared with: the same customers (same seed) inserted
 * by a bare better-sqlite3 prepared statement, in batched transactions, into a fresh WAL
 * database with the same pragmas and an equivalent table. The rows are generated before the
 * clock starts, with the extra columns already as JSON text, so only inserting (and closing,
 * which checkpoints the WAL as the CLI's close does) is timed: no file reading, parsing,
 * validation or upsert logic.
 */
export function bareSqliteInsert(file: string, count: number, seed: number): BaselineOutcome {
  const rows: (string | number)[][] = [];
  for (const c of generateCustomers(count, seed)) {
    const attributes = JSON.stringify({
      plan: c.plan,
      server: c.server,
      domains: c.domains,
      since: c.since,
    });
    rows.push([
      c.external_id,
      c.email,
      c.name,
      c.language,
      c.street,
      c.postal_code,
      c.city,
      c.country,
      attributes,
    ]);
  }

  const db = new BetterSqlite3(file);
  // The pragmas of src/store/database.ts.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  db.exec(CREATE_TABLE);
  const insert = db.prepare(INSERT);
  const writeBatch = db.transaction((batch: (string | number)[][], now: string, first: number) => {
    for (let i = 0; i < batch.length; i++) insert.run(...(batch[i] ?? []), now, now, 1, first + i);
  });

  const started = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    writeBatch(rows.slice(i, i + BATCH_ROWS), new Date().toISOString(), i + 2);
  }
  db.close();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, rows: rows.length };
}
