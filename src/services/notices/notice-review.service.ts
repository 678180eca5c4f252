import { authorize, type Actor } from '../../domain/access.js';
import { snapshotChanges, type LanguageChanges } from '../../domain/notices/notice-review.js';
import type { Database } from '../../store/database.js';
import { approvalSnapshot, currentSnapshot, latestApproval } from './notice-approval.service.js';
import { requireNotice } from './notice-lookup.js';

/** What the approval panel shows: the changes since the last approval, or "first approval". */
export interface NoticeReview {
  /** The hash an approval now would pin (the approve form posts it back). */
  approvalHash: string;
  /** The last approval, voided or not; null before the first. */
  lastApproval: { by: string; at: string; voided: boolean } | null;
  /** Per language; empty when there is no earlier approval. */
  changes: LanguageChanges[];
}

/** The changes of a notice since its last approval, per language (read only). */
export async function reviewNotice(
  actor: Actor,
  noticeId: number,
  deps: { database: Database },
): Promise<NoticeReview> {
  authorize(actor, 'cases:read');
  const { db } = deps.database;
  const notice = await requireNotice(db, noticeId);
  const { snapshot, hash } = await currentSnapshot(db, notice);
  const last = await latestApproval(db, notice.id);
  if (!last) return { approvalHash: hash, lastApproval: null, changes: [] };
  return {
    approvalHash: hash,
    lastApproval: { by: last.approved_by, at: last.approved_at, voided: last.voided_at !== null },
    changes: snapshotChanges(approvalSnapshot(last), snapshot),
  };
}
