import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { loadSecret } from './lib/personal-token.js';
import { openDatabase, type Database } from './store/database.js';
import {
  migrateToLatest,
  readSchemaStatus,
  SchemaOutOfDateError,
  type MigrationReport,
} from './store/migrator.js';

/**
 * The object graph every entry point (serve, worker, CLI) shares. Nothing else constructs
 * infrastructure; services receive only the parts they use.
 */
export interface AppContext {
  config: Config;
  database: Database;
  /** Dependencies in the shape services take them. */
  deps: {
    database: Database;
    defaultLanguage: Config['defaultLanguage'];
    secret: Buffer;
    publicUrl: string;
    messageIdDomain: string;
  };
  close(): Promise<void>;
}

/**
 * Opens the store. With `migrate` (only `migrate`, `serve` and `demo` ask for it) it applies
 * pending migrations and fails loudly if one fails; without, it refuses a database whose
 * schema is behind this build, changing nothing: a routine command must not alter a
 * production schema as a side effect. With `logger`, broken database connections are logged
 * there (else one line on stderr).
 */
export async function createContext(
  config: Config,
  options: { migrate?: boolean; logger?: Logger } = {},
): Promise<AppContext & { migrations: MigrationReport | null }> {
  const logger = options.logger;
  const database = openDatabase(config.database, {
    ...(logger
      ? {
          onConnectionError: (err: Error, where: string) =>
            logger.warn({ err, where }, 'database connection lost; the pool reconnects'),
        }
      : {}),
  });
  let migrations: MigrationReport | null = null;
  if (!options.migrate) {
    try {
      const status = await readSchemaStatus(database);
      if (status.pending.length > 0) throw new SchemaOutOfDateError(status);
    } catch (error) {
      await database.close();
      throw error;
    }
  } else {
    migrations = await migrateToLatest(database);
    if (migrations.error) {
      await database.close();
      throw new Error(
        `migration ${migrations.error.migration ?? '(unknown)'} failed: ${migrations.error.message}`,
      );
    }
  }
  return { ...contextOn(config, database), migrations };
}

/** The context around an open store (tests build theirs with this too). */
export function contextOn(config: Config, database: Database): AppContext {
  return {
    config,
    database,
    deps: {
      database,
      defaultLanguage: config.defaultLanguage,
      secret: loadSecret(config.secret, config.dataDir),
      publicUrl: config.publicUrl,
      messageIdDomain: messageIdDomain(config),
    },
    close: () => database.close(),
  };
}

/** The Message-ID domain: the public URL's host (stable, and ours). */
function messageIdDomain(config: Config): string {
  return new URL(config.publicUrl).hostname || 'candor.localhost';
}
