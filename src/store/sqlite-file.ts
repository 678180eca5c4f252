import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';

// Whole-file operations on a SQLite database, below Kysely: the online backup, a look inside a
// file that may not be a Candor database at all, and replacing the live file on restore.

/**
 * Copies the open database to `target` with SQLite's online backup API. After the first step
 * the rest is copied in one step, inside one read transaction: in WAL mode writers carry on
 * meanwhile, and the copy is the database as of one commit (page-by-page steps would restart
 * whenever another process commits between them, and under a busy server might never end).
 * The copy is switched to rollback-journal mode so it is one self-contained file.
 */
export async function backupSqlite(source: BetterSqlite3.Database, target: string): Promise<void> {
  // Created here, for the owner only: a backup holds the same customer data as the database.
  fs.closeSync(fs.openSync(target, 'wx', 0o600));
  try {
    await source.backup(target, { progress: () => 0x7fffffff });
    const copy = new BetterSqlite3(target);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
  } catch (error) {
    fs.rmSync(target, { force: true });
    throw error;
  }
}

/** What a file holds, judged without trusting it: readable, intact, and which migration. */
export interface SqliteFileReport {
  /** 'ok', or the first problem SQLite's quick_check found. */
  check: string;
  /** Newest applied Candor migration, or null when the file has no migration table. */
  latestMigration: string | null;
  counts: { cases: number; deliveries: number; auditEvents: number } | null;
}

/** Opens `file` read-only and reports on it; throws when it is not a SQLite database. */
export function inspectSqliteFile(file: string): SqliteFileReport {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const check = db.pragma('quick_check', { simple: true }) as string;
    const hasTable = (name: string) =>
      db.prepare(`select 1 from sqlite_master where type = 'table' and name = ?`).get(name) !==
      undefined;
    if (!hasTable('kysely_migration')) return { check, latestMigration: null, counts: null };
    const latest = db
      .prepare('select name from kysely_migration order by name desc limit 1')
      .pluck()
      .get() as string | undefined;
    const count = (table: string) =>
      hasTable(table) ? Number(db.prepare(`select count(*) from ${table}`).pluck().get()) : 0;
    return {
      check,
      latestMigration: latest ?? null,
      counts: {
        cases: count('cases'),
        deliveries: count('deliveries'),
        auditEvents: count('audit_events'),
      },
    };
  } finally {
    db.close();
  }
}

/**
 * Whether another process has the database open. Leaving WAL mode needs every other
 * connection gone (each holds a lock on the shared-memory file while open), so the switch
 * fails at once while a server or worker runs on the file. On success the file is left in
 * rollback-journal mode, about to be replaced.
 */
export function isSqliteFileInUse(file: string): boolean {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = DELETE');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
    throw error;
  } finally {
    db.close();
  }
}

/**
 * Puts `backup` in place of the database file `target`: copied next to it first, then
 * renamed over it, so a crash halfway leaves the old database or the new one, never a mix.
 * Stale WAL and shared-memory files of the old database go too; they would be replayed
 * onto the restored one.
 */
export function replaceSqliteFile(backup: string, target: string): void {
  const staging = `${target}.restoring`;
  fs.rmSync(staging, { force: true });
  fs.copyFileSync(backup, staging);
  fs.chmodSync(staging, 0o600);
  for (const suffix of ['-wal', '-shm', '-journal'])
    fs.rmSync(`${target}${suffix}`, { force: true });
  fs.renameSync(staging, target);
}
