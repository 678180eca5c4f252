/** Where the PostgreSQL half of the dialect loop connects. */
export function pgTestUrl(): string {
  return process.env.CANDOR_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}
