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

/** A page of one dispatch's deliveries after `afterId`, in id order (the primary key serves it). */
export async function listDeliveryPage(
  db: Executor,
  dispatchId: number,
  afterId: number,
  limit: number,
): Promise<EvidenceDeliveryRow[]> {
  return db
    .selectFrom('deliveries as dl')
    .innerJoin('case_recipients as r', 'r.id', 'dl.recipient_id')
    .select([
      'dl.id',
      'dl.dispatch_id',
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
    .where('dl.dispatch_id', '=', dispatchId)
    .where('dl.id', '>', afterId)
    .orderBy('dl.id')
    .limit(limit)
    .execute();
}

export type EvidenceRecipientRow = Pick<
  CaseRecipientRow,
  'id' | 'external_id' | 'language' | 'acknowledged_at' | 'remedied_at'
>;

/** A page of a case's recipients after `afterId`, in id order. */
export async function listRecipientPage(
  db: Executor,
  caseId: number,
  afterId: number,
  limit: number,
): Promise<EvidenceRecipientRow[]> {
  return db
    .selectFrom('case_recipients')
    .select(['id', 'external_id', 'language', 'acknowledged_at', 'remedied_at'])
    .where('case_id', '=', caseId)
    .where('id', '>', afterId)
    .orderBy('id')
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
