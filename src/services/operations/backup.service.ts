import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseConfig } from '../../config.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import { openDatabase } from '../../store/database.js';
import { allMigrations } from '../../store/migrations/index.js';
import {
  backupSqlite,
  inspectSqliteFile,
  isSqliteFileInUse,
  replaceSqliteFile,
  type SqliteFileReport,
} from '../../store/sqlite-file.js';

// `candor backup` and `candor restore`. SQLite is copied with its online backup API;
// PostgreSQL has better tools of its own (pg_dump/pg_restore: consistent snapshots, parallel
// restore, point-in-time recovery with WAL archiving), so Candor points at them instead of
// re-implementing a worse dump.

/** The commands docs/operations.md documents for PostgreSQL, with the schema when one is set. */
export function postgresBackupAdvice(config: DatabaseConfig, file: string): string {
  const schema = config.dialect === 'postgres' && config.schema ? ` --schema=${config.schema}` : '';
  return [
    'candor backup and restore copy SQLite databases; this installation runs on PostgreSQL.',
    'Use PostgreSQL\'s own tools (consistent while Candor runs; see docs/operations.md, "Backups"):',
    `  back up:  pg_dump --format=custom${schema} --file=${file} "$CANDOR_DATABASE_URL"`,
    `  restore:  pg_restore --no-owner --exit-on-error --dbname="$CANDOR_DATABASE_URL" ${file}`,
    '            (into an empty database; stop the servers and workers first, then run candor migrate)',
  ].join('\n');
}

/** Refused: the engine has its own tools (the message says which). */
export class UseEngineToolsError extends ConflictError {}

export interface BackupSummary {
  file: string;
  bytes: number;
  report: SqliteFileReport;
}

/**
 * Writes a consistent copy of the SQLite database to `file` while servers keep writing: to
 * `file.partial` first, checked, then renamed, so `file` is only ever a whole backup.
 */
export async function backupDatabase(
  config: DatabaseConfig,
  file: string,
  options: { force?: boolean } = {},
): Promise<BackupSummary> {
  if (config.dialect === 'postgres')
    throw new UseEngineToolsError(postgresBackupAdvice(config, file));
  if (config.file === ':memory:')
    throw new ConflictError('an in-memory database cannot be backed up');
  if (!fs.existsSync(config.file))
    throw new ConflictError(`there is no database at ${config.file}`);
  const target = path.resolve(file);
  if (target === path.resolve(config.file))
    throw new ConflictError('the backup file must not be the database itself');
  if (fs.existsSync(target) && !options.force)
    throw new ConflictError(`${target} exists; choose another name or pass --force to replace it`);
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  const database = openDatabase(config);
  try {
    if (database.dialect !== 'sqlite') throw new Error('unreachable');
    await backupSqlite(database.sqlite, partial);
  } finally {
    await database.close();
  }
  const report = inspectSqliteFile(partial);
  if (report.check !== 'ok') {
    fs.rmSync(partial, { force: true });
    throw new Error(`the copy failed SQLite's check (${report.check}); nothing was written`);
  }
  fs.renameSync(partial, target);
  return { file: target, bytes: fs.statSync(target).size, report };
}

export interface RestoreSummary {
  target: string;
  report: SqliteFileReport;
  /** Migrations this version will still apply on the next `candor migrate` or start. */
  pendingMigrations: number;
}

/**
 * Puts a backup in place of the SQLite database. Refuses a file that is not an intact Candor
 * database at a migration this version knows, a target another process has open, and an
 * existing target without `force`.
 */
export function restoreDatabase(
  config: DatabaseConfig,
  file: string,
  options: { force?: boolean } = {},
): RestoreSummary {
  if (config.dialect === 'postgres')
    throw new UseEngineToolsError(postgresBackupAdvice(config, file));
  if (config.file === ':memory:')
    throw new ConflictError('cannot restore into an in-memory database');
  const source = path.resolve(file);
  if (!fs.existsSync(source)) throw new ValidationError(`there is no file ${source}`);
  const report = judgeBackup(source);
  const known = Object.keys(allMigrations('sqlite')).sort();
  const target = config.file;
  if (fs.existsSync(target)) {
    if (isSqliteFileInUse(target)) {
      throw new ConflictError(
        `the database ${target} is in use by another process (a server or worker); stop it first`,
      );
    }
    if (!options.force) {
      throw new ConflictError(
        `a database exists at ${target}; pass --force to replace it (back it up first)`,
      );
    }
  } else {
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  }
  replaceSqliteFile(source, target);
  return {
    target,
    report,
    pendingMigrations: known.filter((name) => name > (report.latestMigration ?? '')).length,
  };
}

/** The backup is readable, intact, Candor's, and not from a newer version. */
function judgeBackup(source: string): SqliteFileReport {
  let report: SqliteFileReport;
  try {
    report = inspectSqliteFile(source);
  } catch (error) {
    throw new ValidationError(`${source} is not a SQLite database (${(error as Error).message})`);
  }
  if (report.check !== 'ok')
    throw new ValidationError(`${source} is damaged: SQLite's check says ${report.check}`);
  const known = Object.keys(allMigrations('sqlite'));
  if (report.latestMigration === null)
    throw new ValidationError(
      `${source} is a SQLite database but not a Candor one (no migrations)`,
    );
  if (!known.includes(report.latestMigration)) {
    throw new ValidationError(
      `${source} is at migration ${report.latestMigration}, which this version of Candor does not know (a backup of a newer version?)`,
    );
  }
  return report;
}
