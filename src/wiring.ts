import type { Config } from './config.js';
import { openDatabase, type Database } from './store/database.js';
import { migrateToLatest, type MigrationReport } from './store/migrator.js';

/**
 * The object graph every entry point (serve, worker, CLI) shares. Nothing else constructs
 * infrastructure; services receive only the parts they use.
 */
export interface AppContext {
  config: Config;
  database: Database;
  /** Dependencies in the shape services take them. */
  deps: { database: Database; defaultLanguage: Config['defaultLanguage'] };
  close(): Promise<void>;
}

/** Opens the store; with `migrate`, applies pending migrations and fails loudly if one fails. */
export async function createContext(
  config: Config,
  options: { migrate?: boolean } = {},
): Promise<AppContext & { migrations: MigrationReport | null }> {
  const database = openDatabase(config.database);
  let migrations: MigrationReport | null = null;
  if (options.migrate) {
    migrations = await migrateToLatest(database);
    if (migrations.error) {
      await database.close();
      throw new Error(
        `migration ${migrations.error.migration ?? '(unknown)'} failed: ${migrations.error.message}`,
      );
    }
  }
  return {
    config,
    database,
    deps: { database, defaultLanguage: config.defaultLanguage },
    migrations,
    close: () => database.close(),
  };
}
