import { sql } from 'kysely';
import type { Executor } from './executor.js';
import type { DeliveryRow } from './schema.js';

/**
 * The delivery that carried a Candor Message-ID `<candor.A.B@domain>`. Current Message-IDs
 * name the delivery (B is its id: a primary-key lookup); earlier ones named dispatch A and
 * recipient B (the unique (dispatch_id, recipient_id) index). Both are index lookups, and the
 * stored Message-ID must equal the given one, so a number never matches the wrong row.
 */
export async function findDeliveryByMessageId(
  db: Executor,
  messageId: string,
  keys: { first: number; second: number },
): Promise<DeliveryRow | undefined> {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('id', '=', keys.second),
        eb.and([eb('dispatch_id', '=', keys.first), eb('recipient_id', '=', keys.second)]),
      ]),
    )
    .where('message_id', '=', messageId)
    .executeTakeFirst();
}

/**
 * The most recent delivery to an address that a server accepted (sent, or bounced after it
 * was sent). There is no index on the address: bounces are few, and an index would slow the
 * creation of a million deliveries, so this scans.
 */
export async function findLatestAcceptedDeliveryTo(
  db: Executor,
  email: string,
): Promise<DeliveryRow | undefined> {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .where('sent_at', 'is not', null)
    .orderBy('sent_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Marks a sent delivery bounced, keeping sent_at (the server did accept it first). False when
 * it was not in state 'sent' (already bounced, or never accepted).
 */
export async function markDeliveryBounced(
  db: Executor,
  id: number,
  response: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('deliveries')
    .set({ state: 'bounced', smtp_response: response, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'sent')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
