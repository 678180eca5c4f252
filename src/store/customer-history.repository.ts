import type { Executor } from './executor.js';

/** One case a customer was affected by, with their responses. */
export interface CustomerCaseRow {
  caseId: number;
  reference: string;
  title: string;
  kind: string;
  state: string;
  recipientId: number;
  acknowledgedAt: string | null;
  remediedAt: string | null;
}

/** One notice delivery to a customer. */
export interface CustomerDeliveryRow {
  caseId: number;
  dispatchId: number;
  noticeTitle: string;
  email: string;
  state: string;
  attempts: number;
  sentAt: string | null;
  updatedAt: string;
  smtpResponse: string | null;
}

/**
 * The cases a customer is a frozen recipient of. Goes case by case through the
 * (case_id, customer_id) index rather than scanning every recipient row for one customer.
 */
export async function listCustomerCases(
  db: Executor,
  customerId: number,
): Promise<CustomerCaseRow[]> {
  const cases = await db.selectFrom('cases').select('id').execute();
  if (cases.length === 0) return [];
  const rows = await db
    .selectFrom('case_recipients as r')
    .innerJoin('cases as c', 'c.id', 'r.case_id')
    .select([
      'c.id as caseId',
      'c.reference',
      'c.title',
      'c.kind',
      'c.state',
      'r.id as recipientId',
      'r.acknowledged_at as acknowledgedAt',
      'r.remedied_at as remediedAt',
    ])
    .where(
      'r.case_id',
      'in',
      cases.map((c) => c.id),
    )
    .where('r.customer_id', '=', customerId)
    .orderBy('c.id', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, caseId: Number(r.caseId), recipientId: Number(r.recipientId) }));
}

/** The deliveries to these recipients, through the (dispatch_id, recipient_id) index. */
export async function listRecipientDeliveries(
  db: Executor,
  recipients: { caseId: number; recipientId: number }[],
): Promise<CustomerDeliveryRow[]> {
  if (recipients.length === 0) return [];
  const dispatches = await db
    .selectFrom('dispatches as d')
    .innerJoin('notices as n', 'n.id', 'd.notice_id')
    .select(['d.id', 'd.case_id', 'n.title'])
    .where(
      'd.case_id',
      'in',
      recipients.map((r) => r.caseId),
    )
    .execute();
  if (dispatches.length === 0) return [];
  const byDispatch = new Map(dispatches.map((d) => [Number(d.id), d]));
  const rows = await db
    .selectFrom('deliveries')
    .select(['dispatch_id', 'email', 'state', 'attempts', 'sent_at', 'updated_at', 'smtp_response'])
    .where(
      'dispatch_id',
      'in',
      dispatches.map((d) => d.id),
    )
    .where(
      'recipient_id',
      'in',
      recipients.map((r) => r.recipientId),
    )
    .orderBy('dispatch_id', 'desc')
    .execute();
  return rows.map((r) => {
    const d = byDispatch.get(Number(r.dispatch_id))!;
    return {
      caseId: Number(d.case_id),
      dispatchId: Number(r.dispatch_id),
      noticeTitle: d.title,
      email: r.email,
      state: r.state,
      attempts: Number(r.attempts),
      sentAt: r.sent_at,
      updatedAt: r.updated_at,
      smtpResponse: r.smtp_response,
    };
  });
}
