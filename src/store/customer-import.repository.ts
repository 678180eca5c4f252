import type { Insertable, Updateable } from 'kysely';
import type { Executor } from './executor.js';
import type { CustomerImportRow, CustomerImportsTable } from './schema.js';

/** Records the start of an import run and returns its id. */
export async function insertCustomerImport(
  db: Executor,
  row: Insertable<CustomerImportsTable>,
): Promise<number> {
  const { id } = await db
    .insertInto('customer_imports')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Records how an import run ended. */
export async function finishCustomerImport(
  db: Executor,
  id: number,
  row: Updateable<CustomerImportsTable>,
): Promise<void> {
  await db.updateTable('customer_imports').set(row).where('id', '=', id).execute();
}

/** The most recent import runs. */
export async function listCustomerImports(
  db: Executor,
  limit: number,
): Promise<CustomerImportRow[]> {
  return db.selectFrom('customer_imports').selectAll().orderBy('id', 'desc').limit(limit).execute();
}
