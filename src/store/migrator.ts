import { Migrator, sql, type MigrationResultSet } from 'kysely';
import type { Database } from './database.js';
import { allMigrations } from './migrations/index.js';

/** Outcome of a migration run, for the CLI and the server start-up log. */
export interface MigrationReport {
  applied: string[];
  error?: { migration: string | null; message: string };
}

/**
 * Applies all pending migrations (or those up to `upTo`, for migration tests); never throws,
 * the caller decides the exit code.
 */
export async function migrateToLatest(
  database: Database,
  options: { upTo?: string } = {},
): Promise<MigrationReport> {
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: () => Promise.resolve(allMigrations(database.dialect)) },
    // Kysely looks for its bookkeeping tables in any schema; pin them to the one in use, or
    // a second Candor schema in the same database would be taken as already migrated.
    ...(database.dialect === 'postgres'
      ? { migrationTableSchema: await currentSchema(database) }
      : {}),
  });
  const result: MigrationResultSet = options.upTo
    ? await migrator.migrateTo(options.upTo)
    : await migrator.migrateToLatest();
  const applied = (result.results ?? [])
    .filter((r) => r.status === 'Success')
    .map((r) => r.migrationName);
  if (result.error === undefined) return { applied };
  const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? null;
  const message =
    result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
  return { applied, error: { migration: failed, message } };
}

async function currentSchema(database: Database): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(
    database.db,
  );
  return rows[0]?.schema ?? 'public';
}
