import { authorize, type Actor } from '../../domain/access.js';
import { LANGUAGES, type Language } from '../../config.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { caseFactsOf } from '../../domain/notices/case-facts.js';
import { findFactRecords } from '../../store/statement.repository.js';
import {
  snapshotClaimMismatches,
  resolvedSource,
  buildSnapshot,
  describeSnapshotChanges,
  noticeSnapshotSchema,
  snapshotHash,
  type NoticeSnapshot,
} from '../../domain/notices/notice-snapshot.js';
import type { Dialect } from '../../store/database.js';
import { nowIso, readJson, type Executor } from '../../store/executor.js';
import { findCaseById } from '../../store/case.repository.js';
import * as approvals from '../../store/notice-approval.repository.js';
import { findNotice, listNoticeTexts, updateNotice } from '../../store/notice.repository.js';
import type { NoticeRow } from '../../store/schema.js';
import type { NoticeApprovalRow } from '../../store/schema-statements.js';
import { appendAudit } from '../access/audit.service.js';
import { loadCaseContexts } from '../cases/case-context.js';

/**
 * The rule (docs/notices.md, "Approval"): an approval covers a snapshot — the notice's texts with
 * every case value they use, resolved. What goes out is always an approved snapshot. A change to
 * any of those inputs afterwards VOIDS the approval (audited, with what changed, by whom, when);
 * what was already sent or published stays exactly what was approved, and nothing new goes out
 * until someone approves again. The same rule for customer notices, public notices and press
 * statements.
 */

/** A notice's snapshot against its case as it is now. */
export async function currentSnapshot(
  db: Executor,
  notice: NoticeRow,
): Promise<{ snapshot: NoticeSnapshot; hash: string }> {
  const kase = await findCaseById(db, notice.case_id);
  if (!kase) throw new Error(`notice ${notice.id} has no case`);
  const texts: NoticeSnapshot['texts'] = {};
  for (const t of await listNoticeTexts(db, notice.id)) {
    texts[t.language as Language] = { subject: t.subject, body: t.body };
  }
  const snapshot = buildSnapshot(
    {
      audience: notice.audience,
      defaultLanguage: notice.default_language as Language,
      texts,
    },
    await loadCaseContexts(db, kase),
  );
  return { snapshot, hash: snapshotHash(snapshot) };
}

/** The snapshot an approval holds. */
export function approvalSnapshot(row: NoticeApprovalRow): NoticeSnapshot {
  return readJson(row.snapshot, noticeSnapshotSchema);
}

/** The approval in force for a notice, if any. */
export async function approvalInForce(
  db: Executor,
  notice: NoticeRow,
): Promise<NoticeApprovalRow | undefined> {
  if (notice.approval_id === null) return undefined;
  const row = await approvals.findApproval(db, Number(notice.approval_id));
  return row && row.voided_at === null ? row : undefined;
}

/** The latest approval of a notice, voided or not: for "approval voided: … by … at …". */
export async function latestApproval(
  db: Executor,
  noticeId: number,
): Promise<NoticeApprovalRow | undefined> {
  return (await approvals.listApprovalsOfNotice(db, noticeId))[0];
}

export interface VoidedApproval {
  noticeId: number;
  approvalId: number;
  reason: string;
}

/**
 * Voids every approval of a case (or of all cases, for a change of the organisation's
 * details) whose snapshot no longer matches the case. Runs in the caller's transaction, right
 * after the change, so the change and the voiding commit together.
 */
export async function revalidateApprovals(
  tx: Executor,
  dialect: Dialect,
  actor: Actor,
  scope: { caseId?: number; cause: string },
): Promise<VoidedApproval[]> {
  const voided: VoidedApproval[] = [];
  for (const notice of await approvals.listApprovedNotices(tx, scope.caseId)) {
    const approval = await approvalInForce(tx, notice);
    if (!approval) continue;
    const { snapshot, hash } = await currentSnapshot(tx, notice);
    if (hash === approval.snapshot_hash) continue;
    const changes = describeSnapshotChanges(approvalSnapshot(approval), snapshot);
    const reason = `${changes.length > 0 ? changes.join(', ') : 'the notice'} changed (${scope.cause})`;
    await voidNoticeApproval(tx, dialect, actor, notice, approval, reason);
    voided.push({ noticeId: notice.id, approvalId: approval.id, reason });
  }
  return voided;
}

/** Voids one approval: the notice needs a new one before anything more goes out. */
export async function voidNoticeApproval(
  tx: Executor,
  dialect: Dialect,
  actor: Actor,
  notice: NoticeRow,
  approval: NoticeApprovalRow,
  reason: string,
): Promise<void> {
  const now = nowIso();
  await approvals.voidApproval(tx, approval.id, { at: now, by: actor.name, reason });
  await updateNotice(tx, notice.id, {
    approval_id: null,
    approved_hash: null,
    approved_by: null,
    approved_at: null,
  });
  await appendAudit(tx, dialect, actor, {
    action: 'notice.approval_void',
    objectType: 'notice',
    objectId: notice.id,
    details: { approvalId: approval.id, snapshotHash: approval.snapshot_hash, reason },
  });
}

/** Re-reads a notice (after a void inside the same transaction). */
export async function reloadNotice(db: Executor, id: number): Promise<NoticeRow> {
  const row = await findNotice(db, id);
  if (!row) throw new Error(`notice ${id} disappeared`);
  return row;
}

/**
 * Refuses to send or publish a snapshot whose statements claim what the case no longer records
 * (or deny what it now records).
 */
export async function assertClaimsHold(
  db: Executor,
  notice: NoticeRow,
  snapshot: NoticeSnapshot,
): Promise<void> {
  const kase = await findCaseById(db, notice.case_id);
  if (!kase) throw new Error(`notice ${notice.id} has no case`);
  const facts = caseFactsOf(kase, await findFactRecords(db, kase.id));
  const mismatches = snapshotClaimMismatches(snapshot, facts);
  if (mismatches.length > 0) {
    throw new ConflictError(
      `notice ${notice.id} no longer matches the case: ${mismatches.map((m) => `${m.language}: ${m.message}`).join('; ')}`,
      { reason: 'claims-stale' },
    );
  }
}

/** What approving a notice now would cover: the hash to pin and the resolved texts to read. */
export async function approvalPreview(
  actor: Actor,
  noticeId: number,
  deps: { database: { db: Executor } },
): Promise<{
  hash: string;
  languages: {
    language: Language;
    subject: string;
    body: string;
    values: Record<string, unknown>;
  }[];
}> {
  authorize(actor, 'cases:read');
  const notice = await findNotice(deps.database.db, noticeId);
  if (!notice) throw new NotFoundError(`no notice ${noticeId}`);
  const { snapshot, hash } = await currentSnapshot(deps.database.db, notice);
  const languages = LANGUAGES.flatMap((language) => {
    const resolved = resolvedSource(snapshot, language);
    return resolved ? [{ language, ...resolved }] : [];
  });
  return { hash, languages };
}
