import { authorize, type Actor } from '../../domain/access.js';
import type { CustomerView } from '../../domain/customer.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Database } from '../../store/database.js';
import { readFactsObject } from '../../store/executor.js';
import * as customers from '../../store/customer.repository.js';
import { listCustomerImports } from '../../store/customer-import.repository.js';
import type { CustomerImportRow, CustomerRow } from '../../store/schema.js';

/** Presents a stored customer. */
export function toCustomerView(row: CustomerRow): CustomerView {
  return {
    id: row.id,
    externalId: row.external_id,
    email: row.email,
    name: row.name,
    language: row.language === 'en' ? 'en' : 'nl',
    street: row.street,
    postalCode: row.postal_code,
    city: row.city,
    country: row.country,
    attributes: readFactsObject(row.attributes),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** One page of the registry, with the cursor for the next page. */
export async function searchCustomers(
  actor: Actor,
  search: { q?: string; after?: number; limit: number },
  deps: { database: Database },
): Promise<{ items: CustomerView[]; next: number | null }> {
  authorize(actor, 'customers:read');
  const rows = await customers.searchCustomers(deps.database.db, {
    q: search.q,
    afterId: search.after,
    limit: search.limit + 1,
  });
  const items = rows.slice(0, search.limit).map(toCustomerView);
  return { items, next: rows.length > search.limit ? items[items.length - 1]!.id : null };
}

/** One customer by external id. */
export async function getCustomer(
  actor: Actor,
  externalId: string,
  deps: { database: Database },
): Promise<CustomerView> {
  authorize(actor, 'customers:read');
  const row = await customers.findCustomerByExternalId(deps.database.db, externalId);
  if (!row) throw new NotFoundError(`no customer with external_id "${externalId}"`);
  return toCustomerView(row);
}

/** The registry size. */
export async function countCustomers(actor: Actor, deps: { database: Database }): Promise<number> {
  authorize(actor, 'customers:read');
  return customers.countCustomers(deps.database.db);
}

/** Recent import runs. */
export async function listImports(
  actor: Actor,
  deps: { database: Database },
): Promise<CustomerImportRow[]> {
  authorize(actor, 'customers:read');
  return listCustomerImports(deps.database.db, 50);
}

/** Every attribute name in use, sorted: the extra columns of an export. */
export async function listAttributeKeys(
  actor: Actor,
  deps: { database: Database },
): Promise<string[]> {
  authorize(actor, 'customers:export');
  return customers.listAttributeKeys(deps.database.db, deps.database.dialect);
}

/**
 * Streams the whole registry in id order, a page at a time, so an export of millions of
 * rows keeps memory flat.
 */
export async function* exportCustomers(
  actor: Actor,
  deps: { database: Database },
): AsyncGenerator<CustomerView[]> {
  authorize(actor, 'customers:export');
  let after = 0;
  for (;;) {
    const rows = await customers.searchCustomers(deps.database.db, { afterId: after, limit: 5000 });
    if (rows.length === 0) return;
    yield rows.map(toCustomerView);
    after = rows[rows.length - 1]!.id;
  }
}
