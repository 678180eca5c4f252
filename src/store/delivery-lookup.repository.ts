import type { Executor } from './executor.js';

/**
 * The recipient's newest delivery a server accepted, for the reference code and the "sent on"
 * of the personal page. Through the case's few dispatches and the (dispatch_id, recipient_id)
 * index, as findNoticeIdForRecipient does: deliveries has no index on recipient_id alone.
 */
export async function findLatestSentDelivery(
  db: Executor,
  caseId: number,
  recipientId: number,
): Promise<{ id: number; sentAt: string } | undefined> {
  const row = await db
    .selectFrom('dispatches as d')
    .innerJoin('deliveries as dl', (join) =>
      join.onRef('dl.dispatch_id', '=', 'd.id').on('dl.recipient_id', '=', recipientId),
    )
    .select(['dl.id', 'dl.sent_at'])
    .where('d.case_id', '=', caseId)
    .where('dl.sent_at', 'is not', null)
    .orderBy('dl.sent_at', 'desc')
    .orderBy('dl.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: Number(row.id), sentAt: row.sent_at! } : undefined;
}

/** What the verify page may say about a delivery: its state, when it left, and its case. */
export interface DeliveryVerificationRow {
  state: string;
  sentAt: string | null;
  caseId: number;
  caseReference: string;
}

/** One delivery by id with its case, for checking a reference code (primary-key lookup). */
export async function findDeliveryForVerification(
  db: Executor,
  deliveryId: number,
): Promise<DeliveryVerificationRow | undefined> {
  const row = await db
    .selectFrom('deliveries as dl')
    .innerJoin('dispatches as d', 'd.id', 'dl.dispatch_id')
    .innerJoin('cases as c', 'c.id', 'd.case_id')
    .select(['dl.state', 'dl.sent_at', 'c.id as case_id', 'c.reference'])
    .where('dl.id', '=', deliveryId)
    .executeTakeFirst();
  return row
    ? {
        state: row.state,
        sentAt: row.sent_at,
        caseId: Number(row.case_id),
        caseReference: row.reference,
      }
    : undefined;
}
