import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The local benchmark server: loopback only, trust authentication. */
export const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function withClient<T>(body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty schema with a random `bench_` name and returns the name. */
export async function createBenchSchema(): Promise<string> {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  await withClient((c) => c.query(`CREATE SCHEMA ${schema}`));
  return schema;
}

/** Drops a schema made by createBenchSchema, with everything in it. */
export async function dropBenchSchema(schema: string): Promise<void> {
  if (!/^bench_[0-9a-f]+$/.test(schema)) throw new Error(`not a bench schema: ${schema}`);
  await withClient((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
}

/** The number of rows in the schema's customers table. */
export async function countPgCustomers(schema: string): Promise<number> {
  return withClient(async (c) => {
    const r = await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.customers`);
    return Number(r.rows[0]?.n ?? -1);
  });
}

/** A CANDOR_DATABASE_URL whose connections use the given schema. */
export function schemaUrl(schema: string): string {
  return `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}
