import { authorize, type Actor } from '../../domain/access.js';
import type { CustomerView } from '../../domain/customer.js';
import type { Database } from '../../store/database.js';
import {
  listCustomerCases,
  listRecipientDeliveries,
  type CustomerCaseRow,
  type CustomerDeliveryRow,
} from '../../store/customer-history.repository.js';
import { getCustomer } from './customer.service.js';

/** A customer with what Candor told them and what they did. */
export interface CustomerHistory {
  customer: CustomerView;
  cases: CustomerCaseRow[];
  deliveries: CustomerDeliveryRow[];
}

/** One customer's history: the cases that affected them, the notices sent, their responses. */
export async function customerHistory(
  actor: Actor,
  externalId: string,
  deps: { database: Database },
): Promise<CustomerHistory> {
  authorize(actor, 'customers:read');
  const customer = await getCustomer(actor, externalId, deps);
  const cases = await listCustomerCases(deps.database.db, customer.id);
  const deliveries = await listRecipientDeliveries(deps.database.db, cases);
  return { customer, cases, deliveries };
}
