import { authorize, type Actor } from '../../domain/access.js';
import { LANGUAGES } from '../../config.js';
import {
  STATEMENT_KEYS,
  statementsInputSchema,
  type CaseStatements,
  type StatementsInput,
} from '../../domain/statements.js';
import type { Database } from '../../store/database.js';
import { nowIso } from '../../store/executor.js';
import { deleteStatement, upsertStatement } from '../../store/statement.repository.js';
import { appendAudit } from '../access/audit.service.js';
import { caseStatements } from './case-context.js';
import { requireCase } from './case-lookup.js';
import { revalidateApprovals, type VoidedApproval } from '../notices/notice-approval.service.js';

/** The statements of a case, per key and language. */
export async function getStatements(
  actor: Actor,
  caseRef: string | number,
  deps: { database: Database },
): Promise<CaseStatements> {
  authorize(actor, 'cases:read');
  const kase = await requireCase(deps.database.db, caseRef);
  return caseStatements(deps.database.db, kase.id);
}

/**
 * Writes statements: each given key/language is set, an empty text removes it, the rest stays.
 * Communicators write them (they are the words of the notices); an approval that used a changed
 * statement is voided in the same transaction.
 */
export async function updateStatements(
  actor: Actor,
  caseRef: string | number,
  input: StatementsInput,
  deps: { database: Database },
): Promise<{ statements: CaseStatements; voided: VoidedApproval[] }> {
  authorize(actor, 'notices:write');
  const data = statementsInputSchema.parse(input);
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const kase = await requireCase(tx, caseRef);
    const before = await caseStatements(tx, kase.id);
    const now = nowIso();
    const changed: string[] = [];
    for (const key of STATEMENT_KEYS) {
      for (const language of LANGUAGES) {
        const text = data[key]?.[language];
        if (text === undefined || text === (before[key]?.[language] ?? '')) continue;
        changed.push(`${key}.${language}`);
        if (text === '') await deleteStatement(tx, kase.id, key, language);
        else
          await upsertStatement(tx, {
            case_id: kase.id,
            key,
            language,
            text,
            updated_by: actor.name,
            updated_at: now,
          });
      }
    }
    let voided: VoidedApproval[] = [];
    if (changed.length > 0) {
      await appendAudit(tx, dialect, actor, {
        action: 'case.statements',
        objectType: 'case',
        objectId: kase.id,
        details: { changed },
      });
      voided = await revalidateApprovals(tx, dialect, actor, {
        caseId: kase.id,
        cause: 'statements edited',
      });
    }
    return { statements: await caseStatements(tx, kase.id), voided };
  });
}
