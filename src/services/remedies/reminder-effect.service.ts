import { z } from 'zod';
import {
  effectMeasure,
  effectWindows,
  type EffectMeasure,
} from '../../domain/reminders/reminder.js';
import type { Executor } from '../../store/executor.js';
import * as reminders from '../../store/reminder.repository.js';

const windowSchema = z.object({
  open: z.number().int(),
  done: z.number().int(),
  days: z.number(),
  ratePerDay: z.number().nullable(),
});
const measureSchema = z.object({
  before: windowSchema,
  after: windowSchema,
  factor: z.number().nullable(),
});

/** The effect of one reminder: the rate per day of becoming done, before and after it. */
export const reminderEffectSchema = z.object({
  sendId: z.number().int(),
  ruleId: z.number().int(),
  runNo: z.number().int(),
  at: z.string(),
  recipients: z.number().int(),
  /** The window on each side: the rule's N days (the after window ends now at the latest). */
  windowDays: z.number().int(),
  acknowledged: measureSchema,
  /** Completion of the rule's remedy (or the case's first); null when the case has none. */
  completed: measureSchema.nullable(),
  remedyId: z.number().int().nullable(),
});
export type ReminderEffect = z.infer<typeof reminderEffectSchema>;

/**
 * Per reminder sent in a case: among recipients with an email address, the share of those
 * still open who acknowledged (and completed) per day in the N days after the send, against
 * the same in the N days before it. A rate among the still-open makes before and after
 * comparable although fewer are left after. Reads only; no authorization (callers have it).
 */
export async function reminderEffect(
  db: Executor,
  caseId: number,
  now: Date = new Date(),
): Promise<ReminderEffect[]> {
  const sends = await reminders.listSends(db, { caseId, state: 'sent' });
  if (sends.length === 0) return [];
  const first = await reminders.firstDispatchAt(db, caseId);
  const rules = new Map(
    (await reminders.listRulesWithRetired(db, caseId)).map((r) => [Number(r.id), r]),
  );
  const fallbackRemedy = await reminders.firstRemedyId(db, caseId);
  const out: ReminderEffect[] = [];
  for (const send of sends) {
    const rule = rules.get(Number(send.rule_id));
    if (!rule) continue;
    const days = Number(rule.days);
    const w = effectWindows(send.at, days, now, first ?? send.at);
    const measure = async (
      m: { kind: 'acknowledged' } | { kind: 'completed'; remedyId: number },
    ): Promise<EffectMeasure> => {
      const c = await reminders.effectCounts(db, caseId, m, w);
      return effectMeasure(
        { open: c.openBefore, done: c.doneBefore, days: w.beforeDays },
        { open: c.openAfter, done: c.doneAfter, days: w.afterDays },
      );
    };
    const remedyId = rule.remedy_id === null ? fallbackRemedy : Number(rule.remedy_id);
    out.push({
      sendId: Number(send.id),
      ruleId: Number(send.rule_id),
      runNo: Number(send.run_no),
      at: send.at,
      recipients: Number(send.recipients),
      windowDays: days,
      acknowledged: await measure({ kind: 'acknowledged' }),
      completed: remedyId === null ? null : await measure({ kind: 'completed', remedyId }),
      remedyId,
    });
  }
  return out;
}
