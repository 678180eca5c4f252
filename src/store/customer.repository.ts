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

/**
 * The distinct (key, text) pairs of the given attribute keys across the registry: a text value
 * as it is, a JSON array item by item (numbers, booleans and nested values left out), at most
 * `limit` pairs. Keys match exactly: the registry stores them normalised (lower case).
 *
 * A full scan, as no index covers the values. Measured on this machine with 1M customers of
 * eight attributes: ~1.1 s on SQLite (json_each), ~3 s on PostgreSQL; expanding every key
 * with jsonb_each and comparing lower(key) cost ~5 s there, hence `?|` and `->` per key.
 */
export async function listAttributeTextValues(
  db: Executor,
  dialect: Dialect,
  keys: readonly string[],
  limit: number,
): Promise<{ key: string; value: string }[]> {
  if (keys.length === 0 || limit <= 0) return [];
  const query =
    dialect === 'sqlite'
      ? sql<{ key: string; value: string }>`select distinct attr.key as key, item.value as value
          from customers, json_each(customers.attributes) as attr,
            json_each(case when attr.type = 'array' then attr.value else json_array(attr.value) end) as item
          where attr.key in (${sql.join(keys)}) and item.type = 'text'
          limit ${limit}`
      : sql<{ key: string; value: string }>`select distinct k.key as key, item #>> '{}' as value
          from customers, unnest(${[...keys]}::text[]) as k(key),
            jsonb_array_elements(case jsonb_typeof(customers.attributes -> k.key)
              when 'array' then customers.attributes -> k.key
              else jsonb_build_array(customers.attributes -> k.key) end) as item
          where customers.attributes ?| ${[...keys]}::text[] and customers.attributes ? k.key
            and jsonb_typeof(item) = 'string'
          limit ${limit}`;
  return (await query.execute(db)).rows;
}
