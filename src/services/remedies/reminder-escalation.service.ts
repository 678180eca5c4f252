import { z } from 'zod';
import { authorize, type Actor } from '../../domain/access.js';
import { ConflictError } from '../../domain/errors.js';
import {
  ESCALATION_REASONS,
  escalationInputSchema,
  type EscalationInput,
} from '../../domain/reminders/reminder.js';
import type { Database } from '../../store/database.js';
import { nowIso } from '../../store/executor.js';
import * as reminders from '../../store/reminder.repository.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case.service.js';
import {
  buildLetters,
  buildLettersResultSchema,
  type BatchSink,
  type LetterDeps,
} from '../letters/letter.service.js';
import { parseOrExplain } from './reminder.service.js';

const DAY_MS = 86_400_000;
/** Until a case says otherwise: off, and 14 days. */
const DEFAULT_AFTER_DAYS = 14;

/** The case's escalation rule and who it would send a letter now, and why. */
export const escalationPreviewSchema = z.object({
  enabled: z.boolean(),
  afterDays: z.number().int(),
  /** The dispatch whose notice the letters carry (the case's first to all); null before one. */
  dispatchId: z.number().int().nullable(),
  total: z.number().int(),
  reasons: z.object({
    'no-email': z.number().int(),
    bounced: z.number().int(),
    failed: z.number().int(),
    'no-reaction': z.number().int(),
  }),
});
export type EscalationPreview = z.infer<typeof escalationPreviewSchema>;

export const escalationResultSchema = z.object({
  preview: escalationPreviewSchema,
  letters: buildLettersResultSchema,
});
export type EscalationResult = z.infer<typeof escalationResultSchema>;

/** Turns a case's escalation on or off, and sets after how many days it applies. */
export async function saveEscalationRule(
  actor: Actor,
  caseRef: string | number,
  input: EscalationInput,
  deps: { database: Database },
): Promise<EscalationPreview> {
  authorize(actor, 'dispatch:start');
  const data = parseOrExplain(escalationInputSchema, input, 'escalation rule');
  const { db, dialect } = deps.database;
  await db.transaction().execute(async (tx) => {
    const kase = await requireCase(tx, caseRef);
    await reminders.saveEscalation(tx, {
      caseId: kase.id,
      enabled: data.enabled,
      afterDays: data.afterDays,
      by: actor.name,
      now: nowIso(),
    });
    await appendAudit(tx, dialect, actor, {
      action: 'reminder.escalation.save',
      objectType: 'case',
      objectId: kase.id,
      details: data,
    });
  });
  return previewEscalation(actor, caseRef, deps);
}

/** How many recipients would get a letter now, per reason (no email, bounced, failed, no reaction). */
export async function previewEscalation(
  actor: Actor,
  caseRef: string | number,
  deps: { database: Database },
  now: Date = new Date(),
): Promise<EscalationPreview> {
  authorize(actor, 'cases:read');
  const { db } = deps.database;
  const kase = await requireCase(db, caseRef);
  const rule = await reminders.findEscalation(db, kase.id);
  const afterDays = rule ? Number(rule.after_days) : DEFAULT_AFTER_DAYS;
  const dispatchId = await reminders.firstFullDispatchId(db, kase.id);
  const counts =
    dispatchId === null ? {} : await reminders.countEscalation(db, kase.id, cutoff(now, afterDays));
  const reasons = Object.fromEntries(
    ESCALATION_REASONS.map((r) => [r, counts[r] ?? 0]),
  ) as EscalationPreview['reasons'];
  return {
    enabled: Boolean(rule && Number(rule.enabled)),
    afterDays,
    dispatchId,
    total: Object.values(reasons).reduce((a, b) => a + b, 0),
    reasons,
  };
}

function cutoff(now: Date, afterDays: number): string {
  return new Date(now.getTime() - afterDays * DAY_MS).toISOString();
}

/**
 * Builds a letter batch for those the escalation selects, through the letters machinery: the
 * case's first notice, as letters (deliveries on the letter channel, state printed). Refused
 * while the case's escalation is off. Whoever already has a letter in the case gets none.
 */
export async function escalateToLetters(
  actor: Actor,
  caseRef: string | number,
  deps: LetterDeps,
  options: { now?: Date; batchSize?: number; sink?: BatchSink } = {},
): Promise<EscalationResult> {
  authorize(actor, 'dispatch:start');
  const now = options.now ?? new Date();
  const preview = await previewEscalation(actor, caseRef, deps, now);
  const kase = await requireCase(deps.database.db, caseRef);
  if (!preview.enabled)
    throw new ConflictError(
      `escalation is off for case ${kase.reference}; turn it on (with after how many days) first`,
    );
  if (preview.dispatchId === null)
    throw new ConflictError(`case ${kase.reference} has not been sent yet; nothing to escalate`);
  const letters = await buildLetters(
    actor,
    {
      target: { dispatchId: preview.dispatchId, caseRef: kase.reference },
      batchSize: options.batchSize,
      only: {
        label: 'escalation',
        predicate: reminders.escalationSelection(kase.id, cutoff(now, preview.afterDays)),
      },
    },
    deps,
    options.sink,
  );
  return { preview, letters };
}
