import { z } from 'zod';
import type { EffectiveDecision } from './assessment-facts.js';

// The legal deadlines that start when the organisation becomes aware of an incident:
// GDPR Art. 33(1) — notify the supervisory authority within 72 hours; NIS2 Art. 23(4) —
// early warning within 24 hours, incident notification within 72 hours, final report no
// later than one month after the incident notification. Pure: the caller passes "now"
// and what was submitted (the regulator reports record their submission).

export const CLOCK_KINDS = [
  'gdpr-art33',
  'nis2-early-warning',
  'nis2-notification',
  'nis2-final',
] as const;
export const clockKindSchema = z.enum(CLOCK_KINDS);
export type ClockKind = z.infer<typeof clockKindSchema>;

export const CLOCK_STATES = ['running', 'due-soon', 'overdue', 'done'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

/**
 * Where an email alert about a clock is: claimed and being sent, sent, or passed over because
 * a higher threshold was reached first (a failed send deletes its claim instead).
 */
export const clockAlertStatusSchema = z.enum(['sending', 'sent', 'skipped']);
export type ClockAlertStatus = z.infer<typeof clockAlertStatusSchema>;

/** From this share of the period on, a running clock is "due soon" (and the 90 % alert fires). */
export const DUE_SOON_RATIO = 0.9;

const HOUR = 3_600_000;

export const CLOCK_ARTICLES: Record<ClockKind, string> = {
  'gdpr-art33': 'GDPR Art. 33(1)',
  'nis2-early-warning': 'NIS2 Art. 23(4)(a)',
  'nis2-notification': 'NIS2 Art. 23(4)(b)',
  'nis2-final': 'NIS2 Art. 23(4)(d)',
};

export interface ClockSubmission {
  kind: ClockKind;
  submittedAt: string;
}

export const legalClockSchema = z.object({
  kind: clockKindSchema,
  article: z.string(),
  startsAt: z
    .string()
    .describe('When the period started (aware_at, or for the final report the notification).'),
  dueAt: z.string(),
  state: z.enum(CLOCK_STATES),
  elapsedRatio: z
    .number()
    .describe('Share of the period elapsed at "now" (or at submission); above 1 when late.'),
  remainingMs: z.number().describe('Milliseconds until due at "now"; negative when overdue.'),
  submittedAt: z.string().nullable(),
  late: z.boolean().describe('Submitted after the due time, or overdue and not submitted.'),
  provisional: z
    .boolean()
    .describe(
      'The clock runs before the assessment decided whether it applies (GDPR: no facts yet).',
    ),
});
export type LegalClock = z.infer<typeof legalClockSchema>;

/** Adds calendar months in UTC, clamping to the last day of a shorter month (31 Jan + 1 = 28/29 Feb). */
export function addMonthsUtc(iso: string, months: number): string {
  const d = new Date(iso);
  const day = d.getUTCDate();
  const target = new Date(d.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString();
}

const addHours = (iso: string, hours: number): string =>
  new Date(new Date(iso).getTime() + hours * HOUR).toISOString();

function firstSubmission(subs: readonly ClockSubmission[], kind: ClockKind): string | null {
  const times = subs
    .filter((s) => s.kind === kind)
    .map((s) => new Date(s.submittedAt).toISOString())
    .sort();
  return times[0] ?? null;
}

function clock(
  kind: ClockKind,
  startsAt: string,
  dueAt: string,
  submittedAt: string | null,
  now: Date,
  provisional: boolean,
): LegalClock {
  const start = new Date(startsAt).getTime();
  const due = new Date(dueAt).getTime();
  const at = submittedAt ? new Date(submittedAt).getTime() : now.getTime();
  const period = Math.max(1, due - start);
  const elapsedRatio = Math.max(0, (at - start) / period);
  const remainingMs = due - now.getTime();
  const state: ClockState = submittedAt
    ? 'done'
    : remainingMs < 0
      ? 'overdue'
      : elapsedRatio >= DUE_SOON_RATIO
        ? 'due-soon'
        : 'running';
  return {
    kind,
    article: CLOCK_ARTICLES[kind],
    startsAt,
    dueAt,
    state,
    elapsedRatio: Math.round(elapsedRatio * 10_000) / 10_000,
    remainingMs,
    submittedAt,
    late: submittedAt ? at > due : remainingMs < 0,
    provisional,
  };
}

/**
 * The clocks that apply to a case. `decisions` null means not assessed yet: the GDPR clock
 * then runs provisionally (the 72 hours run whether or not anyone has assessed), NIS2
 * clocks only once the incident is decided significant. Without aware_at, no clock runs.
 */
export function legalClocks(
  awareAt: string | null,
  decisions: EffectiveDecision | null,
  submissions: readonly ClockSubmission[],
  now: Date,
): LegalClock[] {
  if (!awareAt) return [];
  const aware = new Date(awareAt).toISOString();
  const out: LegalClock[] = [];
  const gdprApplies = decisions === null || (decisions.personalData && decisions.authority.notify);
  if (gdprApplies)
    out.push(
      clock(
        'gdpr-art33',
        aware,
        addHours(aware, 72),
        firstSubmission(submissions, 'gdpr-art33'),
        now,
        decisions === null,
      ),
    );
  if (decisions?.nis2.significant) {
    out.push(
      clock(
        'nis2-early-warning',
        aware,
        addHours(aware, 24),
        firstSubmission(submissions, 'nis2-early-warning'),
        now,
        false,
      ),
    );
    const notificationDue = addHours(aware, 72);
    const notified = firstSubmission(submissions, 'nis2-notification');
    out.push(clock('nis2-notification', aware, notificationDue, notified, now, false));
    // One month after the notification was submitted; before that, after its due time,
    // so the final report has a deadline from the start (it moves once notified).
    const finalStart = notified ?? notificationDue;
    out.push(
      clock(
        'nis2-final',
        finalStart,
        addMonthsUtc(finalStart, 1),
        firstSubmission(submissions, 'nis2-final'),
        now,
        false,
      ),
    );
  }
  return out;
}

/** Art. 33(1): a notification made after 72 hours must come with the reasons for the delay. */
export function lateFilingRequiresReason(
  clock: Pick<LegalClock, 'dueAt'>,
  submittedAt: string | Date,
): boolean {
  return new Date(submittedAt).getTime() > new Date(clock.dueAt).getTime();
}
