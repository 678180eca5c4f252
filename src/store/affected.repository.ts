import type { Executor } from './executor.js';

/** Customer ids for a batch of external ids (unknown ones are simply absent). */
export async function findCustomerIds(
  db: Executor,
  externalIds: string[],
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'external_id'])
    .where('external_id', 'in', externalIds)
    .execute();
  return new Map(rows.map((r) => [r.external_id, r.id]));
}

/** Which of these customers are already on the case's affected list. */
export async function findAffectedCustomerIds(
  db: Executor,
  caseId: number,
  customerIds: number[],
): Promise<Set<number>> {
  const rows = await db
    .selectFrom('case_affected')
    .select('customer_id')
    .where('case_id', '=', caseId)
    .where('customer_id', 'in', customerIds)
    .execute();
  return new Set(rows.map((r) => r.customer_id));
}

/** Adds or replaces affected entries (customer + impact) of a case. */
export async function upsertAffected(
  db: Executor,
  rows: { case_id: number; customer_id: number; impact: string; line: number }[],
): Promise<void> {
  // A few hundred rows per statement keeps within every engine's parameter limit.
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('case_affected')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['case_id', 'customer_id']).doUpdateSet((eb) => ({
          impact: eb.ref('excluded.impact'),
          line: eb.ref('excluded.line'),
        })),
      )
      .execute();
  }
}

/** Removes the whole uploaded list of a case. */
export async function clearAffected(db: Executor, caseId: number): Promise<number> {
  const result = await db
    .deleteFrom('case_affected')
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The number of uploaded entries of a case. */
export async function countAffectedList(db: Executor, caseId: number): Promise<number> {
  const { n } = await db
    .selectFrom('case_affected')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** The impact variable names used in a case's list (for template checks). */
export async function listImpactKeys(
  db: Executor,
  dialect: 'sqlite' | 'postgres',
  caseId: number,
): Promise<string[]> {
  const { sql } = await import('kysely');
  const query =
    dialect === 'sqlite'
      ? sql<{
          key: string;
        }>`select distinct j.key as key from case_affected, json_each(case_affected.impact) j where case_id = ${caseId} order by 1`
      : sql<{
          key: string;
        }>`select distinct jsonb_object_keys(impact) as key from case_affected where case_id = ${caseId} order by 1`;
  return (await query.execute(db)).rows.map((r) => r.key);
}
