import { sql } from 'kysely';
import type { Dialect } from './database.js';
import type { Executor } from './executor.js';
import { distinctJsonKeys } from './json-keys.js';
import type { CustomerRow } from './schema.js';

/** Search over the registry: an exact external id or email, or a name fragment. */
export interface CustomerSearch {
  q?: string;
  afterId?: number;
  limit: number;
}

/**
 * One page of customers ordered by id (keyset pagination, so page 10,000 costs the same as
 * page 1). The external id and email match exactly (indexed); the name matches as a
 * case-insensitive fragment.
 */
export async function searchCustomers(
  db: Executor,
  search: CustomerSearch,
): Promise<CustomerRow[]> {
  let q = db.selectFrom('customers').selectAll();
  if (search.q) {
    const term = search.q.trim();
    const like = `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb('external_id', '=', term),
        eb('email', '=', term),
        eb('email', '=', term.toLowerCase()),
        sql<boolean>`lower(name) like ${like} escape '\\'`,
      ]),
    );
  }
  if (search.afterId !== undefined) q = q.where('id', '>', search.afterId);
  return q.orderBy('id').limit(search.limit).execute();
}

/** The number of customers in the registry. */
export async function countCustomers(db: Executor): Promise<number> {
  const { n } = await db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** One customer by the provider's own key. */
export async function findCustomerByExternalId(
  db: Executor,
  externalId: string,
): Promise<CustomerRow | undefined> {
  return db
    .selectFrom('customers')
    .selectAll()
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

/** The distinct attribute names across the registry. */
export async function listAttributeKeys(db: Executor, dialect: Dialect): Promise<string[]> {
  return distinctJsonKeys(db, dialect, { table: 'customers', column: 'attributes' });
}
