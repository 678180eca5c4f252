import { sql } from 'kysely';
import type { Dialect } from './database.js';
import type { Executor } from './executor.js';

/** The JSON object columns whose key sets templates and exports need. */
type JsonSource =
  | { table: 'customers'; column: 'attributes' }
  | { table: 'case_affected' | 'case_recipients'; column: 'impact'; caseId: number };

/** The distinct keys of a JSON object column, sorted (one scan; JSON functions differ per engine). */
export async function distinctJsonKeys(
  db: Executor,
  dialect: Dialect,
  source: JsonSource,
): Promise<string[]> {
  const table = sql.table(source.table);
  const column = sql.ref(`${source.table}.${source.column}`);
  const where =
    'caseId' in source
      ? sql`where ${sql.ref(`${source.table}.case_id`)} = ${source.caseId}`
      : sql``;
  const query =
    dialect === 'sqlite'
      ? sql<{
          key: string;
        }>`select distinct j.key as key from ${table}, json_each(${column}) j ${where} order by 1`
      : sql<{
          key: string;
        }>`select distinct jsonb_object_keys(${column}) as key from ${table} ${where} order by 1`;
  return (await query.execute(db)).rows.map((r) => r.key);
}
