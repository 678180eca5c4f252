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
  const migrator = await migratorFor(database);
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

/** Where the database's schema stands against the migrations this build of Candor knows. */
export interface SchemaStatus {
  /** The newest applied migration this build knows, or null on an empty database. */
  current: string | null;
  /** The newest migration this build knows. */
  latest: string;
  /** Known migrations not applied yet, in order. */
  pending: string[];
}

/**
 * Reads the schema's state without changing anything: Kysely's `getMigrations` only reads
 * its bookkeeping table when it exists, so an empty database stays empty.
 */
export async function readSchemaStatus(database: Database): Promise<SchemaStatus> {
  const migrations = await (await migratorFor(database)).getMigrations();
  const applied = migrations.filter((m) => m.executedAt !== undefined).map((m) => m.name);
  return {
    current: applied.at(-1) ?? null,
    latest: migrations.at(-1)?.name ?? '',
    pending: migrations.filter((m) => m.executedAt === undefined).map((m) => m.name),
  };
}

/** A command that does not migrate met a database behind this build. */
export class SchemaOutOfDateError extends Error {
  constructor(readonly status: SchemaStatus) {
    super(
      `database schema is at ${status.current ?? 'nothing yet (an empty database)'}, this candor needs ${status.latest}; run \`candor migrate\``,
    );
  }
}

async function migratorFor(database: Database): Promise<Migrator> {
  return new Migrator({
    db: database.db,
    provider: { getMigrations: () => Promise.resolve(allMigrations(database.dialect)) },
    // Kysely looks for its bookkeeping tables in any schema; pin them to the one in use, or
    // a second Candor schema in the same database would be taken as already migrated.
    ...(database.dialect === 'postgres'
      ? { migrationTableSchema: await currentSchema(database) }
      : {}),
  });
}

async function currentSchema(database: Database): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(
    database.db,
  );
  return rows[0]?.schema ?? 'public';
}
