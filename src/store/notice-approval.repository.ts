import type { Insertable } from 'kysely';
import type { Executor } from './executor.js';
import type { NoticeRow } from './schema.js';
import type { NoticeApprovalRow, NoticeApprovalsTable } from './schema-statements.js';

/** Records an approval and returns its id. */
export async function insertApproval(
  db: Executor,
  row: Insertable<NoticeApprovalsTable>,
): Promise<number> {
  const { id } = await db
    .insertInto('notice_approvals')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

/** One approval by id. */
export async function findApproval(
  db: Executor,
  id: number,
): Promise<NoticeApprovalRow | undefined> {
  return db.selectFrom('notice_approvals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The approvals of a notice, newest first. */
export async function listApprovalsOfNotice(
  db: Executor,
  noticeId: number,
): Promise<NoticeApprovalRow[]> {
  return db
    .selectFrom('notice_approvals')
    .selectAll()
    .where('notice_id', '=', noticeId)
    .orderBy('id', 'desc')
    .execute();
}

/** Notices with an approval in force: of one case, or of every case. */
export async function listApprovedNotices(db: Executor, caseId?: number): Promise<NoticeRow[]> {
  let query = db.selectFrom('notices').selectAll().where('approval_id', 'is not', null);
  if (caseId !== undefined) query = query.where('case_id', '=', caseId);
  return query.orderBy('id').execute();
}

/** Marks an approval void: who, when, why. */
export async function voidApproval(
  db: Executor,
  id: number,
  voided: { at: string; by: string; reason: string },
): Promise<void> {
  await db
    .updateTable('notice_approvals')
    .set({ voided_at: voided.at, voided_by: voided.by, voided_reason: voided.reason })
    .where('id', '=', id)
    .execute();
}
