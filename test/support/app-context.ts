import { loadConfig } from '../../src/config.js';
import type { Dialect } from '../../src/store/database.js';
import { contextOn, type AppContext } from '../../src/wiring.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

/** An AppContext on a fresh test database, as the entry points build it. */
export async function createTestContext(
  dialect: Dialect,
): Promise<AppContext & { testDb: TestDatabase }> {
  const testDb = await createTestDatabase(dialect);
  const config = {
    ...loadConfig({ CANDOR_SECRET: 'test-secret-test-secret-test-secret-0123' }),
    database: testDb.config,
  };
  return { ...contextOn(config, testDb.database), testDb, close: () => testDb.destroy() };
}
