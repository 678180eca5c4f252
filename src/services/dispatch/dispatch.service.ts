import { authorize, type Actor } from '../../domain/access.js';
import type { DispatchState } from '../../domain/delivery.js';
import type { DispatchProgress } from '../../domain/dispatch-progress.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { Database } from '../../store/database.js';
import { freezeAffectedSet } from '../../store/affected.repository.js';
import { updateCase } from '../../store/case.repository.js';
import * as dispatches from '../../store/dispatch.repository.js';
import { refreshPlannerStatistics } from '../../store/planner-statistics.repository.js';
import { nowIso } from '../../store/executor.js';
import { findNotice } from '../../store/notice.repository.js';
import type { DispatchRow } from '../../store/schema.js';
import { filterOf } from '../cases/affected.service.js';
import { checkNoticeIn } from '../notices/notice-check.service.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case-lookup.js';
import { personalToken, personalTokenHash } from '../../lib/personal-token.js';
import { describeSnapshotChanges } from '../../domain/notices/notice-snapshot.js';
import {
  approvalInForce,
  approvalSnapshot,
  assertClaimsHold,
  currentSnapshot,
  latestApproval,
  revalidateApprovals,
} from '../notices/notice-approval.service.js';

export interface DispatchDeps {
  database: Database;
  secret: Buffer;
  /** Domain of Message-IDs (the sender's domain). */
  messageIdDomain: string;
}

/** Progress of one dispatch, as the API and the CLI show it. */
export type { DispatchProgress };

export interface StartDispatchOptions {
  /**
   * Only these recipients of the frozen set (a reminder run). Such a dispatch is one of
   * possibly several of its notice, each to its own selection; without one, a notice goes out
   * once.
   */
  selection?: dispatches.RecipientSelection;
}

/**
 * Starts sending an approved notice to the case's affected set. The first dispatch of a
 * case freezes the set: later registry changes do not change who was told what. Only the
 * exact version an approver signed off can go out.
 */
export async function startDispatch(
  actor: Actor,
  noticeId: number,
  deps: DispatchDeps,
  options: StartDispatchOptions = {},
): Promise<DispatchProgress> {
  const selection = options.selection;
  authorize(actor, 'dispatch:start');
  const { db, dialect } = deps.database;
  const dispatch = await db.transaction().execute(async (tx) => {
    const found = await findNotice(tx, noticeId);
    if (!found) throw new NotFoundError(`no notice ${noticeId}`);
    // Another process may be starting this very notice: wait for it, then read again.
    await dispatches.lockCaseForDispatch(tx, dialect, found.case_id);
    const notice = (await findNotice(tx, noticeId)) ?? found;
    if (notice.audience !== 'affected') {
      throw new ConflictError(
        `notice ${noticeId} is for the ${notice.audience}; only notices to the affected customers are dispatched`,
      );
    }
    if (!notice.approved_hash) {
      const last = await latestApproval(tx, notice.id);
      throw new ConflictError(
        last?.voided_reason
          ? `notice ${noticeId}: its approval was voided (${last.voided_reason}); it needs a new approval`
          : `notice ${noticeId} has not been approved`,
      );
    }
    if (notice.approved_hash !== notice.content_hash) {
      throw new ConflictError(
        `notice ${noticeId} was edited after it was approved; it needs a new approval`,
      );
    }
    // Only an approved snapshot goes out, and only while the case still says what it said.
    const approval = await approvalInForce(tx, notice);
    if (!approval) throw new ConflictError(`notice ${noticeId} has no approval in force`);
    const { snapshot, hash } = await currentSnapshot(tx, notice);
    if (hash !== approval.snapshot_hash) {
      const changes = describeSnapshotChanges(approvalSnapshot(approval), snapshot);
      throw new ConflictError(
        `notice ${noticeId}: ${changes.join(', ') || 'what it uses'} changed after approval; it needs a new approval`,
        { reason: 'approval-stale', changes },
      );
    }
    await assertClaimsHold(tx, notice, snapshot);
    const live = (await dispatches.listDispatchesOfNotice(tx, notice.id)).find(
      (d) => d.state !== 'cancelled' && !selection && d.selection === null,
    );
    if (live) throw alreadyDispatched(notice.id, live);
    const kase = await requireCase(tx, notice.case_id);
    const now = nowIso();
    let frozen = 0;
    if (!kase.frozen_at) {
      frozen = await freezeAffectedSet(tx, kase.id, filterOf(kase, dialect));
      await updateCase(tx, kase.id, { frozen_at: now, updated_at: now });
    }
    // Approval checked the set as it was then; recipients may have joined since. The frozen
    // copy is what gets mailed, so it must pass too, or nothing starts (the freeze rolls back).
    const check = await checkNoticeIn(tx, dialect, notice.id);
    if (!check.ok) {
      throw new ConflictError(
        `notice ${notice.id}: the frozen set does not pass the check: ${check.errors.join('; ')}`,
        { reason: 'check-failed', problems: check.errors },
      );
    }
    const id = await dispatches
      .insertDispatch(tx, {
        notice_id: notice.id,
        case_id: kase.id,
        // Not claimable until every recipient's personal page works.
        state: 'preparing',
        content_hash: notice.content_hash,
        approval_id: approval.id,
        total: 0,
        created_by: actor.name,
        created_at: now,
        finished_at: null,
        selection: selection?.label ?? null,
      })
      .catch((error: unknown): never => {
        // The unique index is the last word when the lock above could not serialise us.
        if (!dispatches.isSecondDispatchOfNotice(error)) throw error;
        throw new ConflictError(
          `notice ${notice.id} is already being sent; nobody is mailed twice`,
          {
            reason: 'already-dispatched',
          },
        );
      });
    const total = await dispatches.createDeliveries(
      tx,
      dialect,
      id,
      kase.id,
      deps.messageIdDomain,
      now,
      selection,
    );
    await tx.updateTable('dispatches').set({ total }).where('id', '=', id).execute();
    if (kase.state === 'draft' || kase.state === 'open') {
      await updateCase(tx, kase.id, { state: 'notifying', updated_at: now });
    }
    await appendAudit(tx, dialect, actor, {
      action: 'dispatch.start',
      objectType: 'dispatch',
      objectId: id,
      details: {
        noticeId: notice.id,
        caseId: kase.id,
        total,
        frozenNow: frozen,
        contentHash: notice.content_hash,
        snapshotHash: approval.snapshot_hash,
        ...(selection ? { selection: selection.label } : {}),
      },
    });
    return { id, caseId: kase.id };
  });
  await finishPreparing(deps, dispatch.id, dispatch.caseId);
  // "Customers have been told" is now a fact: approvals that used it no longer say what is true.
  await db.transaction().execute((tx) =>
    revalidateApprovals(tx, dialect, actor, {
      caseId: dispatch.caseId,
      cause: 'dispatch started',
    }),
  );
  return getDispatchProgress(actor, dispatch.id, deps);
}

/**
 * The refusal of a second dispatch of a notice that has a live or finished one. A cancelled
 * dispatch does not count: after a cancel the notice may go out again.
 */
function alreadyDispatched(noticeId: number, live: DispatchRow): ConflictError {
  const message =
    live.state === 'completed'
      ? `notice ${noticeId} was already sent (dispatch ${live.id}); sending it again would mail everyone twice — write a follow-up notice instead`
      : `notice ${noticeId} is already being sent (dispatch ${live.id} is ${live.state}); nobody is mailed twice — cancel that dispatch first to send it again`;
  return new ConflictError(message, { reason: 'already-dispatched', dispatchId: live.id });
}

/**
 * Issues the personal-page tokens, then lets workers claim. Idempotent: a dispatch left in
 * `preparing` (the process died halfway) is finished by `resume`.
 */
async function finishPreparing(
  deps: DispatchDeps,
  dispatchId: number,
  caseId: number,
): Promise<void> {
  await issuePersonalTokens(deps, caseId);
  await refreshPlannerStatistics(deps.database, ['deliveries', 'case_recipients']);
  await dispatches.transitionDispatch(deps.database.db, dispatchId, ['preparing'], 'running');
}

/** Stores the token hash of every frozen recipient that has none yet (idempotent, batched). */
export async function issuePersonalTokens(deps: DispatchDeps, caseId: number): Promise<number> {
  const { db } = deps.database;
  let after = 0;
  let issued = 0;
  for (;;) {
    const page = await dispatches.listRecipientsWithoutToken(db, caseId, after, 5000);
    if (page.length === 0) return issued;
    const rows = page.map((r) => ({
      id: r.id,
      hash: personalTokenHash(personalToken(deps.secret, caseId, r.id)),
    }));
    await db.transaction().execute((tx) => dispatches.setRecipientTokenHashes(tx, rows));
    issued += rows.length;
    after = page[page.length - 1]!.id;
  }
}

async function requireDispatch(db: Database['db'], id: number): Promise<DispatchRow> {
  const row = await dispatches.findDispatch(db, id);
  if (!row) throw new NotFoundError(`no dispatch ${id}`);
  return row;
}

/** Pauses, resumes or cancels a dispatch; cancelling stops what has not been sent. */
export async function controlDispatch(
  actor: Actor,
  id: number,
  action: 'pause' | 'resume' | 'cancel',
  deps: DispatchDeps,
): Promise<DispatchProgress> {
  authorize(actor, 'dispatch:control');
  const { db, dialect } = deps.database;
  const before = await requireDispatch(db, id);
  if (action === 'resume' && before.state === 'preparing') {
    await issuePersonalTokens(deps, before.case_id);
  }
  await db.transaction().execute(async (tx) => {
    const row = await requireDispatch(tx, id);
    const transitions: Record<typeof action, [DispatchState[], DispatchState]> = {
      pause: [['running'], 'paused'],
      resume: [['paused', 'preparing'], 'running'],
      cancel: [['running', 'paused', 'preparing'], 'cancelled'],
    };
    const [from, to] = transitions[action];
    const now = nowIso();
    if (!(await dispatches.transitionDispatch(tx, id, from, to, to === 'cancelled' ? now : null))) {
      throw new ConflictError(`dispatch ${id} is ${row.state}; it cannot ${action}`);
    }
    const cancelled = to === 'cancelled' ? await dispatches.cancelOpenDeliveries(tx, id, now) : 0;
    await appendAudit(tx, dialect, actor, {
      action: `dispatch.${action}`,
      objectType: 'dispatch',
      objectId: id,
      details: { from: row.state, cancelledDeliveries: cancelled },
    });
  });
  return getDispatchProgress(actor, id, deps);
}

/** Counts per state, rate and ETA. */
export async function getDispatchProgress(
  actor: Actor,
  id: number,
  deps: { database: Database },
): Promise<DispatchProgress> {
  authorize(actor, 'cases:read');
  const { db } = deps.database;
  const row = await requireDispatch(db, id);
  // The mail's progress: letters (printed, posted) have their own page.
  const byState = await dispatches.countDeliveriesByState(db, id, 'email');
  const counts = {
    queued: 0,
    sending: 0,
    sent: 0,
    deferred: 0,
    bounced: 0,
    failed: 0,
    cancelled: 0,
    ...byState,
  };
  const since = new Date(Date.now() - 60_000).toISOString();
  const recent = row.state === 'running' ? await dispatches.countSentSince(db, id, since) : 0;
  const rate = recent / 60;
  const done = counts.sent + counts.bounced + counts.failed + counts.cancelled;
  const open = counts.queued + counts.sending + counts.deferred;
  return {
    id: row.id,
    noticeId: row.notice_id,
    caseId: row.case_id,
    state: row.state,
    total: row.total,
    counts,
    done,
    rate: Math.round(rate * 10) / 10,
    etaSeconds: rate > 0 && open > 0 ? Math.ceil(open / rate) : null,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    deferral: counts.deferred > 0 ? ((await dispatches.describeDeferrals(db, id)) ?? null) : null,
  };
}
