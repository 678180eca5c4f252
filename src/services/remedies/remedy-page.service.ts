import type { Actor } from '../../domain/access.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import { customerMayConfirm, type RemedyCompletion } from '../../domain/remedies/remedy.js';
import type { Database } from '../../store/database.js';
import { nowIso, type Executor } from '../../store/executor.js';
import { acknowledgeRecipient } from '../../store/recipient.repository.js';
import {
  completionsOfRecipient,
  findRemedyByKey,
  listRemedies,
  listRemedyTexts,
} from '../../store/remedy.repository.js';
import { appendAudit } from '../access/audit.service.js';
import { recordRecallEvent } from '../cases/recall-events.service.js';
import { applyConfirmations } from './remedy-confirmation.service.js';
import { requireCase } from '../cases/case.service.js';
import { textsOf } from './remedy.service.js';

/** One remedy as its recipient sees it (personal page, portal, letter). */
export interface PageRemedy {
  key: string;
  title: string;
  /** Markdown, rendered by the view like the statements. */
  instructions: string;
  completion: RemedyCompletion;
  /** The rule is met for this recipient. */
  done: boolean;
  completedAt: string | null;
  customerConfirmedAt: string | null;
  providerConfirmedAt: string | null;
  /** The page offers "I've done this" (rule customer or both, not yet confirmed by them). */
  canConfirm: boolean;
}

/**
 * The case's current remedies (retired ones left out) for one recipient, in `language` when
 * written in it, else in the first language they have.
 */
export async function pageRemedies(
  db: Executor,
  recipient: { id: number; case_id: number },
  language: string,
): Promise<PageRemedy[]> {
  const remedies = await loadCaseRemedies(db, Number(recipient.case_id));
  if (remedies.length === 0) return [];
  return remediesOfRecipient(db, remedies, Number(recipient.id), language);
}

/** One current remedy of a case with its texts per language: the same for every recipient. */
export interface CaseRemedy {
  row: Awaited<ReturnType<typeof listRemedies>>[number];
  texts: ReturnType<typeof textsOf>;
}

/**
 * The case's current remedies (retired ones left out) with their texts. A batch of letters
 * loads them once and asks only each recipient's completions (see remediesOfRecipient).
 */
export async function loadCaseRemedies(db: Executor, caseId: number): Promise<CaseRemedy[]> {
  const remedies = (await listRemedies(db, caseId)).filter((r) => r.retired_at === null);
  if (remedies.length === 0) return [];
  const texts = await listRemedyTexts(
    db,
    remedies.map((r) => Number(r.id)),
  );
  return remedies.map((row) => ({
    row,
    texts: textsOf(texts.filter((t) => Number(t.remedy_id) === Number(row.id))),
  }));
}

/** The case's remedies as one recipient sees them, in `language` where written in it. */
export async function remediesOfRecipient(
  db: Executor,
  remedies: readonly CaseRemedy[],
  recipientId: number,
  language: string,
): Promise<PageRemedy[]> {
  if (remedies.length === 0) return [];
  const completions = await completionsOfRecipient(db, recipientId);
  return remedies.map(({ row: r, texts }) => {
    const text = texts[language as keyof typeof texts] ?? Object.values(texts)[0];
    const c = completions.get(Number(r.id));
    return {
      key: r.key,
      title: text?.title ?? r.key,
      instructions: text?.instructions ?? '',
      completion: r.completion,
      done: Boolean(c?.completedAt),
      completedAt: c?.completedAt ?? null,
      customerConfirmedAt: c?.customerConfirmedAt ?? null,
      providerConfirmedAt: c?.providerConfirmedAt ?? null,
      canConfirm: customerMayConfirm(r.completion) && !c?.customerConfirmedAt,
    };
  });
}

/**
 * The customer says on their page that they did one remedy. Only where the rule lets the
 * customer confirm; doing it implies having read the notice, so a missing acknowledgement is
 * recorded too. True when this click recorded something new.
 */
export async function confirmRemedyOnPage(
  visitor: { recipient: { id: number; case_id: number; external_id: string }; source: string },
  key: string,
  deps: { database: Database },
): Promise<boolean> {
  const { db, dialect } = deps.database;
  const r = visitor.recipient;
  return db.transaction().execute(async (tx) => {
    const kase = await requireCase(tx, r.case_id);
    const remedy = await findRemedyByKey(tx, kase.id, key);
    if (!remedy || remedy.retired_at !== null) throw new NotFoundError(`no remedy "${key}"`);
    if (!customerMayConfirm(remedy.completion))
      throw new ForbiddenError(`remedy "${key}" is confirmed by the provider, not the customer`);
    const actor: Actor = {
      kind: 'user',
      userId: null,
      name: `recipient:${r.external_id}`,
      roles: [],
      source: visitor.source,
    };
    const now = nowIso();
    const step = await applyConfirmations(
      tx,
      dialect,
      { kase, remedy, source: 'customer', action: 'confirm', at: now, actor: actor.name },
      [Number(r.id)],
    );
    if (step.changed === 0) return false;
    const alsoAcknowledged = await acknowledgeRecipient(tx, r.id, now);
    await appendAudit(tx, dialect, actor, {
      action: 'recipient.remedy',
      objectType: 'case_recipient',
      objectId: r.id,
      details: { caseId: r.case_id, remedy: key, completed: step.completed > 0, alsoAcknowledged },
    });
    if (alsoAcknowledged)
      await recordRecallEvent(tx, {
        kind: 'notice.acknowledged',
        caseId: Number(r.case_id),
        recipientId: Number(r.id),
        at: now,
      });
    return true;
  });
}
