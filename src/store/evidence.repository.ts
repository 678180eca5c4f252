import type { Executor } from './executor.js';
import type {
  AuditEventRow,
  CaseRecipientRow,
  DeliveryRow,
  DispatchRow,
  NoticeRow,
  NoticeTextRow,
} from './schema.js';
import type { NoticeApprovalRow } from './schema-statements.js';
import type { ReportRow } from './schema-reports.js';
import type { LetterBatchRow } from './schema-letters.js';
import type { RemedyCompletionRow, RemedyRow, RemedyTextRow } from './schema-remedies.js';

/**
 * The reads of the evidence bundle. The large ones (deliveries, recipients, audit entries)
 * are keyset pages so a case with a million recipients is streamed, never held in memory.
 */

/** Every notice of a case with its current texts and every approval (snapshot), oldest first. */
export async function listNoticesWithApprovals(
  db: Executor,
  caseId: number,
): Promise<{ notice: NoticeRow; texts: NoticeTextRow[]; approvals: NoticeApprovalRow[] }[]> {
  const notices = await db
    .selectFrom('notices')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
  const out = [];
  for (const notice of notices) {
    const texts = await db
      .selectFrom('notice_texts')
      .selectAll()
      .where('notice_id', '=', notice.id)
      .orderBy('language')
      .execute();
    const approvals = await db
      .selectFrom('notice_approvals')
      .selectAll()
      .where('notice_id', '=', notice.id)
      .orderBy('id')
      .execute();
    out.push({ notice, texts, approvals });
  }
  return out;
}

/** The dispatches of a case, oldest first. */
export async function listCaseDispatches(db: Executor, caseId: number): Promise<DispatchRow[]> {
  return db
    .selectFrom('dispatches')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}

/** The reports and letter batches of a case: their ids pick the case's audit entries. */
export async function listCaseReportsAndBatches(
  db: Executor,
  caseId: number,
): Promise<{ reports: ReportRow[]; batches: LetterBatchRow[] }> {
  const reports = await db
    .selectFrom('reports')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
  const batches = await db
    .selectFrom('letter_batches')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
  return { reports, batches };
}

/** A delivery with the external id of its recipient. */
export type EvidenceDeliveryRow = Pick<
  DeliveryRow,
  | 'id'
  | 'dispatch_id'
  | 'channel'
  | 'email'
  | 'state'
  | 'attempts'
  | 'message_id'
  | 'sent_at'
  | 'next_attempt_at'
  | 'updated_at'
  | 'smtp_response'
> & { external_id: string };

/** Where a page of deliveries starts: after this (recipient, channel) of the dispatch. */
export interface DeliveryCursor {
  recipientId: number;
  channel: string;
}

/**
 * A page of one dispatch's deliveries in (recipient, channel) order, after `after`. The walk
 * follows the unique (dispatch_id, recipient_id, channel) index, so each page is a range
 * read: paging by delivery id instead made SQLite sort the whole dispatch for every page.
 */
export async function listDeliveryPage(
  db: Executor,
  dispatchId: number,
  after: DeliveryCursor | null,
  limit: number,
): Promise<(EvidenceDeliveryRow & { recipient_id: number })[]> {
  let q = db
    .selectFrom('deliveries as dl')
    .innerJoin('case_recipients as r', 'r.id', 'dl.recipient_id')
    .select([
      'dl.id',
      'dl.dispatch_id',
      'dl.recipient_id',
      'dl.channel',
      'dl.email',
      'dl.state',
      'dl.attempts',
      'dl.message_id',
      'dl.sent_at',
      'dl.next_attempt_at',
      'dl.updated_at',
      'dl.smtp_response',
      'r.external_id',
    ])
    .where('dl.dispatch_id', '=', dispatchId);
  if (after) {
    q = q.where((eb) =>
      eb(
        eb.refTuple('dl.recipient_id', 'dl.channel'),
        '>',
        eb.tuple(after.recipientId, after.channel),
      ),
    );
  }
  return q.orderBy('dl.recipient_id').orderBy('dl.channel').limit(limit).execute();
}

export type EvidenceRecipientRow = Pick<
  CaseRecipientRow,
  'id' | 'external_id' | 'language' | 'acknowledged_at' | 'remedied_at'
>;

/**
 * A page of a case's recipients in customer order, after customer `afterCustomerId`: the
 * unique (case_id, customer_id) index serves it as a range read.
 */
export async function listRecipientPage(
  db: Executor,
  caseId: number,
  afterCustomerId: number,
  limit: number,
): Promise<(EvidenceRecipientRow & { customer_id: number })[]> {
  return db
    .selectFrom('case_recipients')
    .select(['id', 'customer_id', 'external_id', 'language', 'acknowledged_at', 'remedied_at'])
    .where('case_id', '=', caseId)
    .where('customer_id', '>', afterCustomerId)
    .orderBy('customer_id')
    .limit(limit)
    .execute();
}

/** The sequence of the first audit entry about the case itself (its creation), or null. */
export async function findFirstCaseAuditSeq(db: Executor, caseId: number): Promise<number | null> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.min('seq').as('seq'))
    .where('object_type', '=', 'case')
    .where('object_id', '=', String(caseId))
    .executeTakeFirst();
  return row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
}

/** Audit entries with `fromSeq <= seq <= toSeq`, a page at a time after `afterSeq`. */
export async function listAuditRange(
  db: Executor,
  afterSeq: number,
  toSeq: number,
  limit: number,
): Promise<AuditEventRow[]> {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('seq', '>', afterSeq)
    .where('seq', '<=', toSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** The remedies of a case with their texts, in the order customers see them. */
export async function listCaseRemedies(
  db: Executor,
  caseId: number,
): Promise<{ remedy: RemedyRow; texts: RemedyTextRow[] }[]> {
  const remedies = await db
    .selectFrom('remedies')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  const out = [];
  for (const remedy of remedies) {
    const texts = await db
      .selectFrom('remedy_texts')
      .selectAll()
      .where('remedy_id', '=', remedy.id)
      .orderBy('language')
      .execute();
    out.push({ remedy, texts });
  }
  return out;
}

/** A completion row of one remedy with its recipient's external id. */
export type EvidenceCompletionRow = Pick<
  RemedyCompletionRow,
  'recipient_id' | 'customer_confirmed_at' | 'provider_confirmed_at' | 'completed_at' | 'updated_at'
> & { external_id: string };

/** A page of one remedy's completions after recipient `afterRecipientId` (primary-key order). */
export async function listCompletionPage(
  db: Executor,
  remedyId: number,
  afterRecipientId: number,
  limit: number,
): Promise<EvidenceCompletionRow[]> {
  return db
    .selectFrom('remedy_completions as c')
    .innerJoin('case_recipients as r', 'r.id', 'c.recipient_id')
    .select([
      'c.recipient_id',
      'r.external_id',
      'c.customer_confirmed_at',
      'c.provider_confirmed_at',
      'c.completed_at',
      'c.updated_at',
    ])
    .where('c.remedy_id', '=', remedyId)
    .where('c.recipient_id', '>', afterRecipientId)
    .orderBy('c.recipient_id')
    .limit(limit)
    .execute();
}
