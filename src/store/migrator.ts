import { Migrator, type MigrationResultSet } from 'kysely';
import type { Database } from './database.js';
import { allMigrations } from './migrations/index.js';

/** Outcome of a migration run, for the CLI and the server start-up log. */
export interface MigrationReport {
  applied: string[];
  error?: { migration: string | null; message: string };
}

/** Applies all pending migrations; never throws, the caller decides the exit code. */
export async function migrateToLatest(database: Database): Promise<MigrationReport> {
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: () => Promise.resolve(allMigrations(database.dialect)) },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  const applied = (result.results ?? [])
    .filter((r) => r.status === 'Success')
    .map((r) => r.migrationName);
  if (result.error === undefined) return { applied };
  const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? null;
  const message =
    result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
  return { applied, error: { migration: failed, message } };
}
