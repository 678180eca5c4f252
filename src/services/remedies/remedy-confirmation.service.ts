import { z } from 'zod';
import { authorize, type Actor } from '../../domain/access.js';
import { ConflictError } from '../../domain/errors.js';
import { applyConfirmation, EMPTY_COMPLETION } from '../../domain/remedies/remedy-confirmation.js';
import { confirmationsInputSchema } from '../../domain/remedies/remedy-input.js';
import type { CompletionAction, CompletionSource } from '../../domain/remedies/remedy.js';
import type { Database, Dialect } from '../../store/database.js';
import { nowIso, type Executor } from '../../store/executor.js';
import {
  findRecipientIds,
  insertCompletedRecallEvents,
  insertCompletionEvents,
  lockCompletionRows,
  setCompletedAt,
  syncRecipientsRemedied,
  setConfirmation,
  type CompletionEventGroup,
} from '../../store/remedy.repository.js';
import type { CaseRow } from '../../store/schema.js';
import type { RemedyRow } from '../../store/schema-remedies.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case.service.js';
import { requireRemedy } from './remedy.service.js';

/** What a confirm or withdraw request did; every id given lands in exactly one count. */
export const confirmationSummarySchema = z.object({
  case: z.string(),
  remedy: z.string(),
  action: z.enum(['confirm', 'withdraw']),
  received: z.number().int(),
  confirmed: z.number().int().describe('newly confirmed by this request'),
  alreadyConfirmed: z.number().int().describe('confirmed before: nothing changed'),
  withdrawn: z.number().int(),
  notConfirmed: z.number().int().describe('withdraw: there was no provider confirmation'),
  duplicates: z.number().int().describe('ids repeated within the request, counted once'),
  completed: z.number().int().describe('recipients for whom the rule became met'),
  reopened: z.number().int().describe('recipients for whom the rule is no longer met'),
  unknown: z
    .array(z.object({ index: z.number().int(), externalId: z.string() }))
    .describe('ids (0-based index in the request) not among the case recipients'),
  durationMs: z.number().int(),
});
export type ConfirmationSummary = z.infer<typeof confirmationSummarySchema>;

/** Ids resolved per transaction step: a few set-based statements each. */
export const CONFIRM_BATCH = 20_000;

/** What one confirm/withdraw step applies to, resolved once per request. */
export interface ConfirmationTarget {
  kase: CaseRow;
  remedy: RemedyRow;
  source: CompletionSource;
  action: 'confirm' | 'withdraw';
  at: string;
  actor: string;
}

/** The counts of one step. */
export interface StepResult {
  changed: number;
  unchanged: number;
  completed: number;
  reopened: number;
}

/**
 * Applies one source's confirm or withdraw to many recipients of a remedy inside the caller's
 * transaction, with a handful of set-based statements: lock (creating empty rows), compute each
 * row's transition with the domain rule, write the changed column, completed_at per value, the
 * completion events and a `remedy.completed` recall event for each newly completed recipient.
 */
export async function applyConfirmations(
  tx: Executor,
  dialect: Dialect,
  target: ConfirmationTarget,
  recipientIds: readonly number[],
): Promise<StepResult> {
  const result: StepResult = { changed: 0, unchanged: 0, completed: 0, reopened: 0 };
  if (recipientIds.length === 0) return result;
  const { remedy, source, action, at } = target;
  const remedyId = Number(remedy.id);
  const now = nowIso();
  const rows = await lockCompletionRows(tx, dialect, remedyId, recipientIds, now);
  const changed: number[] = [];
  const completedAt = new Map<string | null, number[]>();
  // Events grouped by what they share (one statement per group); times differ only when `at`
  // predates a confirmation already there (the demo's history).
  const groups = new Map<string, CompletionEventGroup>();
  const event = (action: CompletionAction, eventAt: string, id: number) => {
    const k = `${action} ${eventAt}`;
    const g = groups.get(k) ?? { source, action, at: eventAt, recipientIds: [] };
    g.recipientIds.push(id);
    groups.set(k, g);
  };
  const push = (value: string | null, id: number) => {
    const list = completedAt.get(value) ?? [];
    list.push(id);
    completedAt.set(value, list);
  };
  for (const id of recipientIds) {
    const t = applyConfirmation(
      remedy.completion,
      rows.get(id) ?? EMPTY_COMPLETION,
      source,
      action,
      at,
    );
    if (!t.changed) {
      result.unchanged++;
      continue;
    }
    changed.push(id);
    event(action, at, id);
    if (t.completed) {
      push(t.next.completedAt, id);
      event('completed', t.next.completedAt!, id);
      result.completed++;
    }
    if (t.reopened) {
      push(null, id);
      event('reopened', at, id);
      result.reopened++;
    }
  }
  result.changed = changed.length;
  await setConfirmation(
    tx,
    dialect,
    remedyId,
    source,
    changed,
    action === 'confirm' ? at : null,
    now,
  );
  await setCompletedAt(tx, dialect, remedyId, completedAt);
  await syncRecipientsRemedied(tx, dialect, [...completedAt.values()].flat());
  const list = [...groups.values()];
  await insertCompletionEvents(tx, dialect, remedyId, target.actor, list);
  for (const g of list.filter((g) => g.action === 'completed')) {
    await insertCompletedRecallEvents(tx, dialect, {
      caseId: Number(target.kase.id),
      data: JSON.stringify({ remedy: remedy.key, completion: remedy.completion }),
      at: g.at,
      recipientIds: g.recipientIds,
    });
  }
  return result;
}

/** A fresh summary for a request. */
export function emptySummary(target: ConfirmationTarget, received: number): ConfirmationSummary {
  return {
    case: target.kase.reference,
    remedy: target.remedy.key,
    action: target.action,
    received,
    confirmed: 0,
    alreadyConfirmed: 0,
    withdrawn: 0,
    notConfirmed: 0,
    duplicates: 0,
    completed: 0,
    reopened: 0,
    unknown: [],
    durationMs: 0,
  };
}

/** Adds a step's counts to the summary under the action's names. */
export function addStep(summary: ConfirmationSummary, step: StepResult): void {
  if (summary.action === 'confirm') {
    summary.confirmed += step.changed;
    summary.alreadyConfirmed += step.unchanged;
  } else {
    summary.withdrawn += step.changed;
    summary.notConfirmed += step.unchanged;
  }
  summary.completed += step.completed;
  summary.reopened += step.reopened;
}

/** Resolves case and remedy for a provider request; a retired remedy takes no confirmations. */
export async function providerTarget(
  db: Executor,
  actor: Actor,
  caseRef: string | number,
  key: string,
  action: 'confirm' | 'withdraw',
  at: string,
): Promise<ConfirmationTarget> {
  const kase = await requireCase(db, caseRef);
  const remedy = await requireRemedy(db, kase.id, kase.reference, key);
  if (remedy.retired_at !== null)
    throw new ConflictError(`remedy "${key}" of ${kase.reference} is retired`);
  return { kase, remedy, source: 'provider', action, at, actor: actor.name };
}

/** The audit entry of a whole request: counts, never the ids. */
export async function auditConfirmations(
  tx: Executor,
  dialect: Dialect,
  actor: Actor,
  summary: ConfirmationSummary,
  source: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await appendAudit(tx, dialect, actor, {
    action: summary.action === 'confirm' ? 'remedy.confirm' : 'remedy.withdraw',
    objectType: 'case',
    objectId: summary.case,
    details: {
      source,
      remedy: summary.remedy,
      received: summary.received,
      confirmed: summary.confirmed,
      alreadyConfirmed: summary.alreadyConfirmed,
      withdrawn: summary.withdrawn,
      notConfirmed: summary.notConfirmed,
      duplicates: summary.duplicates,
      unknown: summary.unknown.length,
      completed: summary.completed,
      reopened: summary.reopened,
      ...extra,
    },
  });
}

/**
 * Provider confirmations (or, with `withdraw`, their withdrawal: the scan found the problem
 * again) for up to 100,000 external ids. One transaction and one audit entry for the request;
 * unknown ids are reported with their index, not refused; repeating a request changes nothing.
 */
export async function confirmRemedyForCustomers(
  actor: Actor,
  caseRef: string | number,
  key: string,
  input: { externalIds: string[] },
  options: { withdraw?: boolean; at?: string },
  deps: { database: Database },
): Promise<ConfirmationSummary> {
  authorize(actor, 'remedies:confirm');
  const { externalIds } = confirmationsInputSchema.parse(input);
  const started = Date.now();
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const action = options.withdraw ? 'withdraw' : 'confirm';
    const target = await providerTarget(tx, actor, caseRef, key, action, options.at ?? nowIso());
    const summary = emptySummary(target, externalIds.length);
    // First index of each id; a repeat is counted, not applied twice.
    const firstIndex = new Map<string, number>();
    externalIds.forEach((raw, index) => {
      const id = raw.trim();
      if (firstIndex.has(id)) summary.duplicates++;
      else firstIndex.set(id, index);
    });
    const ids = [...firstIndex.keys()];
    for (let i = 0; i < ids.length; i += CONFIRM_BATCH) {
      const part = ids.slice(i, i + CONFIRM_BATCH);
      const known = await findRecipientIds(tx, dialect, Number(target.kase.id), part);
      for (const id of part) {
        if (!known.has(id)) summary.unknown.push({ index: firstIndex.get(id)!, externalId: id });
      }
      addStep(summary, await applyConfirmations(tx, dialect, target, [...known.values()]));
    }
    summary.durationMs = Date.now() - started;
    await auditConfirmations(tx, dialect, actor, summary, 'api');
    return summary;
  });
}
