import { sql, type ExpressionBuilder } from 'kysely';
import type { CustomerWhere } from './dispatch.repository.js';
import type { Dialect } from './database.js';
import type { Executor } from './executor.js';
import { distinctJsonKeys } from './json-keys.js';
import type { CustomerRow, DB } from './schema.js';

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
  dialect: Dialect,
  caseId: number,
): Promise<string[]> {
  return distinctJsonKeys(db, dialect, { table: 'case_affected', column: 'impact', caseId });
}

/** The affected set of a case before it is frozen: the uploaded list plus the filter's matches. */
function affectedSet(db: Executor, caseId: number, filter: CustomerWhere | null) {
  return db
    .selectFrom('customers')
    .leftJoin('case_affected', (join) =>
      join
        .onRef('case_affected.customer_id', '=', 'customers.id')
        .on('case_affected.case_id', '=', caseId),
    )
    .where((w) =>
      filter
        ? w.or([
            w('case_affected.customer_id', 'is not', null),
            filter(w as unknown as ExpressionBuilder<DB, 'customers'>),
          ])
        : w('case_affected.customer_id', 'is not', null),
    );
}

/** How many customers the case's affected set holds, and how many have no email address. */
export async function countAffectedSet(
  db: Executor,
  caseId: number,
  filter: CustomerWhere | null,
): Promise<{ total: number; withoutEmail: number }> {
  const row = await affectedSet(db, caseId, filter)
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn
        .count<number>('customers.id')
        .filterWhere('customers.email', 'is', null)
        .as('without_email'),
    ])
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), withoutEmail: Number(row.without_email) };
}

/**
 * The key a page of the affected set is walked by. Without a filter the set is the case's
 * list: walk it by its own key. Ordered by customers.id instead, SQLite sorted everything after
 * the cursor for every page (a million recipients: 200 pages, each sorting up to a million rows).
 */
function walkKey(filter: CustomerWhere | null) {
  return filter ? ('customers.id' as const) : ('case_affected.customer_id' as const);
}

/** What a notice can say of a customer: the columns its variables come from. */
const FACT_COLUMNS = [
  'customers.id',
  'customers.external_id',
  'customers.email',
  'customers.name',
  'customers.language',
  'customers.street',
  'customers.postal_code',
  'customers.city',
  'customers.country',
  'customers.attributes',
] as const;

export type CustomerFacts = Pick<
  CustomerRow,
  | 'id'
  | 'external_id'
  | 'email'
  | 'name'
  | 'language'
  | 'street'
  | 'postal_code'
  | 'city'
  | 'country'
  | 'attributes'
>;

/** A page of the affected set with each customer's impact, in id order (keyset on id). */
export async function sampleAffectedSet(
  db: Executor,
  caseId: number,
  filter: CustomerWhere | null,
  limit: number,
  afterId = 0,
): Promise<(CustomerFacts & { impact: unknown })[]> {
  const key = walkKey(filter);
  return affectedSet(db, caseId, filter)
    .select(FACT_COLUMNS)
    .select((eb) => eb.fn.coalesce('case_affected.impact', sql<string>`'{}'`).as('impact'))
    .where(key, '>', afterId)
    .orderBy(key)
    .limit(limit)
    .execute();
}

/**
 * A page of the affected set with only the columns a check needs: the name, address and
 * language always, the postal address and the attributes when asked (the rest comes back
 * null). A million-recipient check read 3.2 s of rows with every column, 1.9 s without.
 */
export async function sampleAffectedFacts(
  db: Executor,
  caseId: number,
  filter: CustomerWhere | null,
  page: { limit: number; afterId: number },
  needs: { postalAddress: boolean; attributes: boolean },
) {
  const key = walkKey(filter);
  const column = <N extends 'street' | 'postal_code' | 'city' | 'country' | 'attributes'>(
    wanted: boolean,
    name: N,
  ) => (wanted ? sql<string | null>`${sql.ref(`customers.${name}`)}` : sql<null>`null`).as(name);
  return affectedSet(db, caseId, filter)
    .select([
      'customers.id',
      'customers.external_id',
      'customers.email',
      'customers.name',
      'customers.language',
    ])
    .select((eb) => [
      column(needs.postalAddress, 'street'),
      column(needs.postalAddress, 'postal_code'),
      column(needs.postalAddress, 'city'),
      column(needs.postalAddress, 'country'),
      column(needs.attributes, 'attributes'),
      eb.fn.coalesce('case_affected.impact', sql<string>`'{}'`).as('impact'),
    ])
    .where(key, '>', page.afterId)
    .orderBy(key)
    .limit(page.limit)
    .execute();
}

/** One customer of the affected set by external id (for a preview as that customer). */
export async function findInAffectedSet(
  db: Executor,
  caseId: number,
  filter: CustomerWhere | null,
  externalId: string,
): Promise<(CustomerRow & { impact: unknown }) | undefined> {
  return affectedSet(db, caseId, filter)
    .selectAll('customers')
    .select((eb) => eb.fn.coalesce('case_affected.impact', sql<string>`'{}'`).as('impact'))
    .where('customers.external_id', '=', externalId)
    .executeTakeFirst();
}

/**
 * Freezes the affected set of a case: the uploaded list (with each customer's impact) and
 * the filter's matches, copied from the registry as they are now. Set-based, one statement.
 */
export async function freezeAffectedSet(
  db: Executor,
  caseId: number,
  filter: CustomerWhere | null,
): Promise<number> {
  const result = await db
    .insertInto('case_recipients')
    .columns([
      'case_id',
      'customer_id',
      'external_id',
      'email',
      'name',
      'language',
      'street',
      'postal_code',
      'city',
      'country',
      'attributes',
      'impact',
    ])
    .expression(
      affectedSet(db, caseId, filter)
        .select((s) => [
          sql.lit(caseId).as('case_id'),
          ...FACT_COLUMNS,
          s.fn.coalesce('case_affected.impact', sql<string>`'{}'`).as('impact'),
        ])
        .orderBy('customers.id'),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
