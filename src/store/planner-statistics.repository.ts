import { sql } from 'kysely';
import type { Database } from './database.js';

/**
 * Fresh planner statistics for tables that have just grown by a bulk write (a dispatch's
 * deliveries and recipients, up to millions of rows in seconds). Without them PostgreSQL
 * plans for the few rows it last saw until autovacuum gets round to it: measured on a
 * 300,000-delivery dispatch, a page of the deliveries tab took 955 ms as a nested loop over
 * every delivery, and 0.2 ms after ANALYZE (which samples 30,000 rows, ≈ 0.1–0.3 s).
 * SQLite's planner does well on these queries without statistics, and its sampled ANALYZE
 * would write row estimates that mislead it elsewhere, so it is left alone.
 */
export async function refreshPlannerStatistics(
  database: Pick<Database, 'db' | 'dialect'>,
  tables: readonly ('deliveries' | 'case_recipients')[],
): Promise<void> {
  if (database.dialect !== 'postgres' || tables.length === 0) return;
  await sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(database.db);
}
