import { z } from 'zod';

/**
 * Reminder rules: after N days, a follow-up notice to the recipients who are not done yet —
 * who have not acknowledged the notice, or not completed a given remedy — at most `maxSends`
 * times per recipient. Plain rules here; the store selects, the service sends.
 */
export const REMINDER_CONDITIONS = ['not-acknowledged', 'not-completed'] as const;
export const reminderConditionSchema = z.enum(REMINDER_CONDITIONS);
export type ReminderCondition = z.infer<typeof reminderConditionSchema>;

/**
 * One run of a rule: claimed and its recipients selected, then sent once its dispatch is
 * queued (a run that sends nothing is forgotten, not kept).
 */
export const reminderSendStateSchema = z.enum(['selected', 'sent']);
export type ReminderSendState = z.infer<typeof reminderSendStateSchema>;

export const MAX_REMINDER_DAYS = 365;
export const MAX_REMINDER_SENDS = 10;

/** A new rule as the API, the form and the CLI give it. */
export const reminderRuleInputSchema = z
  .object({
    noticeId: z.coerce.number().int().positive().describe('the follow-up notice (approved)'),
    condition: reminderConditionSchema.describe('who is not done yet'),
    remedy: z
      .string()
      .trim()
      .max(64)
      .optional()
      .transform((v) => (v === '' ? undefined : v))
      .describe('the remedy key, for not-completed'),
    days: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_REMINDER_DAYS)
      .describe('days after the first dispatch, and between sends'),
    maxSends: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_REMINDER_SENDS)
      .describe('reminders per recipient, at most'),
  })
  .superRefine((v, ctx) => {
    if (v.condition === 'not-completed' && !v.remedy)
      ctx.addIssue({
        code: 'custom',
        path: ['remedy'],
        message: 'not-completed needs the remedy whose completion counts',
      });
    if (v.condition === 'not-acknowledged' && v.remedy)
      ctx.addIssue({
        code: 'custom',
        path: ['remedy'],
        message: 'not-acknowledged does not take a remedy',
      });
  });
export type ReminderRuleInput = z.input<typeof reminderRuleInputSchema>;
export type ReminderRuleData = z.output<typeof reminderRuleInputSchema>;

/** The case's escalation rule: a printed letter for whom email cannot reach. */
export const escalationInputSchema = z.object({
  enabled: z.preprocess(
    (v) => (v === 'on' || v === 'true' ? true : v === 'off' || v === 'false' ? false : v),
    z.boolean(),
  ),
  afterDays: z.coerce.number().int().min(0).max(MAX_REMINDER_DAYS),
});
export type EscalationInput = z.input<typeof escalationInputSchema>;

/** Why a recipient gets a letter, in the order they are tested. */
export const ESCALATION_REASONS = ['no-email', 'bounced', 'failed', 'no-reaction'] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

const DAY_MS = 86_400_000;

/**
 * When a rule's next run is due: `days` after the case's first dispatch for the first run,
 * `days` after the previous run for the next ones; null when the rule has run `maxSends`
 * times (nobody can get another one) or nothing was sent yet.
 */
export function nextRunDue(rule: {
  days: number;
  maxSends: number;
  runs: number;
  firstDispatchAt: string | null;
  lastSendAt: string | null;
}): Date | null {
  if (rule.runs >= rule.maxSends) return null;
  const from = rule.runs === 0 ? rule.firstDispatchAt : rule.lastSendAt;
  if (!from) return null;
  return new Date(Date.parse(from) + rule.days * DAY_MS);
}

/** Counts over one window around a send, for one measure (acknowledged or completed). */
export interface WindowCounts {
  /** Recipients not done at the window's start. */
  open: number;
  /** Of those, how many became done within the window. */
  done: number;
  /** Days the window spans (the window after a recent send is shorter). */
  days: number;
}

/** One measure's rates per day before and after a send, and the change. */
export interface EffectMeasure {
  before: WindowCounts & { ratePerDay: number | null };
  after: WindowCounts & { ratePerDay: number | null };
  /** after / before; null when there is no rate before (nothing to compare with). */
  factor: number | null;
}

/**
 * The share of open recipients that became done per day: a hazard rate, so the days before
 * (many still open) and after (fewer left) are compared fairly.
 */
export function ratePerDay(w: WindowCounts): number | null {
  if (w.open === 0 || w.days <= 0) return null;
  return w.done / w.open / w.days;
}

export function effectMeasure(before: WindowCounts, after: WindowCounts): EffectMeasure {
  const b = ratePerDay(before);
  const a = ratePerDay(after);
  return {
    before: { ...before, ratePerDay: b },
    after: { ...after, ratePerDay: a },
    factor: b && a !== null ? a / b : null,
  };
}

/**
 * The windows around a send at `at`: N days before it and N days after it, the latter cut at
 * `now` (in whole and partial days), and the before window not earlier than the case's first
 * dispatch.
 */
export function effectWindows(
  at: string,
  days: number,
  now: Date,
  firstDispatchAt: string,
): { beforeFrom: string; at: string; afterTo: string; beforeDays: number; afterDays: number } {
  const t = Date.parse(at);
  const beforeFrom = Math.max(t - days * DAY_MS, Date.parse(firstDispatchAt));
  const afterTo = Math.min(t + days * DAY_MS, now.getTime());
  return {
    beforeFrom: new Date(beforeFrom).toISOString(),
    at: new Date(t).toISOString(),
    afterTo: new Date(Math.max(afterTo, t)).toISOString(),
    beforeDays: (t - beforeFrom) / DAY_MS,
    afterDays: Math.max(0, afterTo - t) / DAY_MS,
  };
}
