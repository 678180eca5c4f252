import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pgTestUrl } from './test-env.js';

/** A PostgreSQL database of its own, for tests that terminate every connection to it. */
export interface FreshPostgres {
  name: string;
  url: string;
  /** Ends every connection to this database but the caller's; resolves with how many. */
  terminateConnections(): Promise<number>;
  drop(): Promise<void>;
}

/**
 * Creates an empty database next to the test database. Tests that kill connections need one:
 * terminating the connections of the shared test database would break the tests of other
 * suites running at the same time.
 */
export async function createFreshPostgres(): Promise<FreshPostgres> {
  const name = `candor_t_${randomBytes(6).toString('hex')}`;
  await withClient(pgTestUrl(), (c) => c.query(`create database ${name}`));
  const url = new URL(pgTestUrl());
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async terminateConnections() {
      const { rows } = await withClient(url.toString(), (c) =>
        c.query<{ terminated: boolean }>(
          `select pg_terminate_backend(pid) as terminated from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid()`,
        ),
      );
      return rows.filter((r) => r.terminated).length;
    },
    async drop() {
      await withClient(pgTestUrl(), (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

async function withClient<T>(url: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}
