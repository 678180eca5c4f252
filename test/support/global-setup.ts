import pg from 'pg';
import { pgTestUrl } from './test-env.js';

/**
 * The PostgreSQL half of the dialect loop is required: a missing server fails the run
 * instead of silently skipping half the suite.
 */
export default async function setup(): Promise<void> {
  const client = new pg.Client({ connectionString: pgTestUrl(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL is required for the test suite but ${pgTestUrl()} is not reachable (${String(error)}). ` +
        'Start it (see README, "Running the tests") or set CANDOR_TEST_PG_URL.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
