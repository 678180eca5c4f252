import { NotFoundError } from '../../domain/errors.js';
import * as notices from '../../store/notice.repository.js';
import type { Executor } from '../../store/executor.js';
import type { NoticeRow } from '../../store/schema.js';

/** Loading a notice, apart from the notice use cases so the notice check needs no cycle. */
/** Loads a notice or throws NotFoundError. */
export async function requireNotice(db: Executor, id: number): Promise<NoticeRow> {
  const row = await notices.findNotice(db, id);
  if (!row) throw new NotFoundError(`no notice ${id}`);
  return row;
}
