import type { Insertable, Updateable } from 'kysely';
import type { Executor } from './executor.js';
import type { NoticeRow, NoticeTextRow, NoticesTable } from './schema.js';

/** Inserts a notice and returns its id. */
export async function insertNotice(db: Executor, row: Insertable<NoticesTable>): Promise<number> {
  const { id } = await db
    .insertInto('notices')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** One notice by id. */
export async function findNotice(db: Executor, id: number): Promise<NoticeRow | undefined> {
  return db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The notices of a case. */
export async function listNoticesOfCase(db: Executor, caseId: number): Promise<NoticeRow[]> {
  return db.selectFrom('notices').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

/** Updates a notice's bookkeeping (version, hash, editors, approval). */
export async function updateNotice(
  db: Executor,
  id: number,
  row: Updateable<NoticesTable>,
): Promise<void> {
  await db.updateTable('notices').set(row).where('id', '=', id).execute();
}

/** The language versions of a notice. */
export async function listNoticeTexts(db: Executor, noticeId: number): Promise<NoticeTextRow[]> {
  return db
    .selectFrom('notice_texts')
    .selectAll()
    .where('notice_id', '=', noticeId)
    .orderBy('language')
    .execute();
}

/** Replaces the language versions of a notice. */
export async function replaceNoticeTexts(
  db: Executor,
  noticeId: number,
  texts: NoticeTextRow[],
): Promise<void> {
  await db.deleteFrom('notice_texts').where('notice_id', '=', noticeId).execute();
  if (texts.length > 0) await db.insertInto('notice_texts').values(texts).execute();
}
