import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type SqliteDatabase,
  type DatabaseConnection,
  type Driver,
} from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import type { DB } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The open store: the Kysely instance for ordinary queries plus the raw driver handle
 * for bulk paths (imports, dispatch) where Kysely's per-query overhead matters.
 */
export type Database =
  | { dialect: 'sqlite'; db: Kysely<DB>; sqlite: BetterSqlite3.Database; close(): Promise<void> }
  | { dialect: 'postgres'; db: Kysely<DB>; pool: pg.Pool; close(): Promise<void> };

/**
 * Kysely starts SQLite transactions with a plain (deferred) BEGIN; a deferred transaction that
 * reads before it writes fails with SQLITE_BUSY instead of waiting when another process (the
 * CLI next to a running server) holds the write lock. IMMEDIATE takes the lock up front, so
 * a busy database is waited for (see waitForLock).
 */
class ImmediateSqliteDriver extends SqliteDriver {
  private readonly waiting = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(
    config: { database: SqliteDatabase },
    private readonly sqlite: BetterSqlite3.Database,
  ) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  /**
   * On some errors SQLite has already rolled the transaction back itself (SQLITE_FULL when the
   * disk is full, I/O errors); a ROLLBACK then fails with "no transaction is active", and
   * Kysely would throw that instead of the error that says what happened.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.sqlite.inTransaction) return;
    await super.rollbackTransaction(connection);
  }

  /** The one connection, with statements that wait for the write lock off the event loop. */
  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    let wrapped = this.waiting.get(connection);
    if (!wrapped) {
      wrapped = {
        executeQuery: (query) => waitForLock(this.sqlite, () => connection.executeQuery(query)),
        streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
      };
      this.waiting.set(connection, wrapped);
    }
    return wrapped;
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  private readonly database: SqliteDatabase;
  constructor(private readonly sqlite: BetterSqlite3.Database) {
    const database = cachingStatements(sqlite);
    super({ database });
    this.database = database;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.database }, this.sqlite);
  }
}

/**
 * SQLite's busy handler sleeps the calling thread, and better-sqlite3 runs on the event loop: a
 * server whose write waited there for the lock of another process (an import next to it)
 * answered no request at all meanwhile. So the main connection's busy_timeout is only a few
 * milliseconds, enough for a writer's short batch, and a statement refused as busy outside a
 * transaction (a BEGIN IMMEDIATE, an autocommit write; it changed nothing) is tried again after
 * a timer, for up to LOCK_PATIENCE_MS in all — the patience busy_timeout used to give, spent
 * without blocking. Inside a transaction the lock is already held, so busy is not retried.
 */
async function waitForLock<T>(sqlite: BetterSqlite3.Database, run: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_PATIENCE_MS;
  for (let pause = 5; ; pause = Math.min(pause * 2, 50)) {
    try {
      return await run();
    } catch (error) {
      const busy =
        error instanceof BetterSqlite3.SqliteError && error.code.startsWith('SQLITE_BUSY');
      if (!busy || sqlite.inTransaction || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** How long the main thread blocks in SQLite's busy handler before waiting on a timer. */
const MAIN_BUSY_TIMEOUT_MS = 20;
/** How long a statement waits for another connection's write lock before failing. */
const LOCK_PATIENCE_MS = 10_000;

/**
 * Kysely prepares every query anew; on the dispatch's hot path (claim and record, thousands
 * of times a minute) preparing cost as much as running. Statements are reused by SQL text,
 * the most recent few hundred kept. Kysely only streams with `.stream()`, which Candor does
 * not use, so a cached statement is never busy when it is handed out again.
 */
function cachingStatements(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= 300) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

/** Timestamps travel as ISO-8601 UTC strings on both engines, so the domain sees one type. */
function pgTypes(): pg.CustomTypesConfig {
  const parsers = new Map<number, (v: string) => unknown>([
    [20, (v) => Number(v)], // int8: counts and ids stay far below 2^53
    [1700, (v) => Number(v)], // numeric
    [1184, (v) => new Date(v).toISOString()], // timestamptz
    [1114, (v) => new Date(`${v}Z`).toISOString()], // timestamp
  ]);
  return {
    getTypeParser: ((oid: number, format?: string) =>
      parsers.get(oid) ??
      (pg.types.getTypeParser(oid, format as 'text') as (
        v: string,
      ) => unknown)) as pg.CustomTypesConfig['getTypeParser'],
  };
}

/** Told about a PostgreSQL connection that broke (terminated, server restarted, network). */
export type ConnectionErrorLog = (error: Error, where: 'idle' | 'in use') => void;

/** Without a logger (short CLI commands), one line on stderr. */
const stderrConnectionLog: ConnectionErrorLog = (error, where) =>
  process.stderr.write(
    `${JSON.stringify({ level: 'warn', msg: 'database connection lost; the pool reconnects', where, err: error.message })}\n`,
  );

/**
 * Opens the store described by the config (creating the SQLite file and its folder if needed).
 * `onConnectionError` hears about PostgreSQL connections that broke.
 */
export function openDatabase(
  config: DatabaseConfig,
  options: { onConnectionError?: ConnectionErrorLog } = {},
): Database {
  if (config.dialect === 'sqlite') {
    if (config.file !== ':memory:') {
      // Customer data: the folder and the file for the owner only (SQLite gives the WAL and
      // shared-memory files the database file's mode). Modes apply only when created here.
      fs.mkdirSync(path.dirname(config.file), { recursive: true, mode: 0o700 });
      fs.closeSync(fs.openSync(config.file, 'a', 0o600));
    }
    const sqlite = new BetterSqlite3(config.file);
    sqlite.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose
    // the last transactions, which the dispatch design tolerates (it re-sends at most the
    // documented in-flight window).
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`busy_timeout = ${MAIN_BUSY_TIMEOUT_MS}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('cache_size = -32768');
    // temp_store stays FILE: freezing a million recipients and numbering a million deliveries
    // sort through temporary b-trees, which in memory pushed a dispatch past 600 MB.
    const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect(sqlite) });
    return { dialect: 'sqlite', db, sqlite, close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: 10,
    types: pgTypes(),
    // Names Candor's sessions in pg_stat_activity (an operator's view, and how a test ends
    // exactly its own connections); an application_name in the URL takes precedence.
    fallback_application_name: 'candor',
    ...(config.schema ? { options: `-c search_path=${config.schema}` } : {}),
  });
  // A terminated connection (PostgreSQL restarted, a failover, pg_terminate_backend) emits
  // 'error' on its client: on the pool when the client is idle, on the client itself while a
  // query holds it. Node ends the process on an 'error' event nobody listens to, so without
  // these listeners one restart of the database took every server and worker down. The
  // query that was running fails (callers retry or report it); the broken client is dropped
  // when released and the pool opens a new connection on the next checkout.
  const log = options.onConnectionError ?? stderrConnectionLog;
  // The pool also listens to its idle clients: log each broken connection once.
  const inUse = new WeakSet<pg.PoolClient>();
  pool.on('acquire', (client) => inUse.add(client));
  pool.on('release', (_error, client) => inUse.delete(client));
  pool.on('error', (error) => log(error, 'idle'));
  pool.on('connect', (client) =>
    client.on('error', (error) => {
      if (inUse.has(client)) log(error, 'in use');
    }),
  );
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { dialect: 'postgres', db, pool, close: () => db.destroy() };
}

/**
 * Holds Kysely's single SQLite connection until the returned function is called, so raw
 * better-sqlite3 work (bulk paths) never interleaves with a Kysely transaction.
 */
export async function holdSqliteConnection(db: Kysely<DB>): Promise<() => Promise<void>> {
  let release!: () => void;
  let acquired!: () => void;
  const gate = new Promise<void>((resolve) => (acquired = resolve));
  const done = db.connection().execute(
    () =>
      new Promise<void>((resolve) => {
        release = resolve;
        acquired();
      }),
  );
  await gate;
  return async () => {
    release();
    await done;
  };
}
