import type { Insertable, Updateable } from 'kysely';
import type { Executor } from './executor.js';
import type {
  CaseProductRow,
  CaseProductsTable,
  CaseVulnerabilitiesTable,
  CaseVulnerabilityRow,
} from './schema-csaf.js';

/** Products of some cases, in the order they were added. */
export async function listCaseProducts(db: Executor, caseIds: number[]): Promise<CaseProductRow[]> {
  if (caseIds.length === 0) return [];
  return db
    .selectFrom('case_products')
    .selectAll()
    .where('case_id', 'in', caseIds)
    .orderBy('id')
    .execute();
}

/** One product of a case. */
export async function findCaseProduct(
  db: Executor,
  caseId: number,
  id: number,
): Promise<CaseProductRow | undefined> {
  return db
    .selectFrom('case_products')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Inserts a product and returns its id. */
export async function insertCaseProduct(
  db: Executor,
  row: Insertable<CaseProductsTable>,
): Promise<number> {
  const { id } = await db
    .insertInto('case_products')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

/** Updates a product. */
export async function updateCaseProduct(
  db: Executor,
  id: number,
  row: Updateable<CaseProductsTable>,
): Promise<void> {
  await db.updateTable('case_products').set(row).where('id', '=', id).execute();
}

/** Deletes a product (the service checks no vulnerability refers to it). */
export async function deleteCaseProduct(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('case_products').where('id', '=', id).execute();
}

/** Vulnerabilities of some cases, in the order they were added. */
export async function listCaseVulnerabilities(
  db: Executor,
  caseIds: number[],
): Promise<CaseVulnerabilityRow[]> {
  if (caseIds.length === 0) return [];
  return db
    .selectFrom('case_vulnerabilities')
    .selectAll()
    .where('case_id', 'in', caseIds)
    .orderBy('id')
    .execute();
}

/** One vulnerability of a case. */
export async function findCaseVulnerability(
  db: Executor,
  caseId: number,
  id: number,
): Promise<CaseVulnerabilityRow | undefined> {
  return db
    .selectFrom('case_vulnerabilities')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Inserts a vulnerability and returns its id. */
export async function insertCaseVulnerability(
  db: Executor,
  row: Insertable<CaseVulnerabilitiesTable>,
): Promise<number> {
  const { id } = await db
    .insertInto('case_vulnerabilities')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

/** Replaces a vulnerability's fields. */
export async function updateCaseVulnerability(
  db: Executor,
  id: number,
  row: Updateable<CaseVulnerabilitiesTable>,
): Promise<void> {
  await db.updateTable('case_vulnerabilities').set(row).where('id', '=', id).execute();
}

/** Deletes a vulnerability. */
export async function deleteCaseVulnerability(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('case_vulnerabilities').where('id', '=', id).execute();
}
