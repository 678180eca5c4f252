import { loadConfig } from '../../src/config.js';
import type { Dialect } from '../../src/store/database.js';
import type { AppContext } from '../../src/wiring.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

/** An AppContext on a fresh test database, as the entry points build it. */
export async function createTestContext(
  dialect: Dialect,
): Promise<AppContext & { testDb: TestDatabase }> {
  const testDb = await createTestDatabase(dialect);
  const config = { ...loadConfig({}), database: testDb.config };
  const { database } = testDb;
  return {
    config,
    database,
    deps: { database, defaultLanguage: 'nl' },
    testDb,
    close: () => testDb.destroy(),
  };
}
