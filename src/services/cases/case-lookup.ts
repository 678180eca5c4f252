import { NotFoundError } from '../../domain/errors.js';
import * as cases from '../../store/case.repository.js';
import type { Executor } from '../../store/executor.js';
import type { CaseRow } from '../../store/schema.js';

/**
 * Finding a case is what almost every service needs first; it lives apart from the case
 * use cases so that they can call those services without an import cycle.
 */
/** Resolves a case by numeric id or reference, or throws NotFoundError. */
export async function requireCase(db: Executor, idOrReference: string | number): Promise<CaseRow> {
  const key = String(idOrReference);
  const row = /^\d+$/.test(key)
    ? await cases.findCaseById(db, Number(key))
    : await cases.findCaseByReference(db, key.toUpperCase());
  if (!row) throw new NotFoundError(`no case ${key}`);
  return row;
}
