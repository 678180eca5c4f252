import { z } from 'zod';
import { statementsInputSchema } from './statements.js';

export const CASE_KINDS = ['incident', 'advisory'] as const;
export const caseKindSchema = z.enum(CASE_KINDS);
export type CaseKind = z.infer<typeof caseKindSchema>;

/** The lifecycle, in order. A case moves forward one or more steps, never back. */
export const CASE_STATES = [
  'draft',
  'open',
  'notifying',
  'monitoring',
  'resolved',
  'closed',
] as const;
export const caseStateSchema = z.enum(CASE_STATES);
export type CaseState = z.infer<typeof caseStateSchema>;

/** Timeline events with a meaning of their own; `aware` starts the legal clocks. */
export const MILESTONES = ['detected', 'aware', 'contained', 'resolved'] as const;
/** Other recorded facts a notice may claim (`facts.passwords_reset`). */
export const RECORDED_MEASURES = ['passwords_reset'] as const;
export const eventKindSchema = z.enum([...MILESTONES, ...RECORDED_MEASURES, 'note']);
export type Milestone = (typeof MILESTONES)[number];

/** Whether an event kind sets one of the case's milestone dates. */
export function isMilestone(kind: string): kind is Milestone {
  return (MILESTONES as readonly string[]).includes(kind);
}
export type EventKind = z.infer<typeof eventKindSchema>;

const instant = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 date-time, e.g. 2026-11-27T03:12:00+01:00',
});

export const newCaseSchema = z.object({
  kind: caseKindSchema,
  title: z.string().trim().min(3, 'must be at least 3 characters').max(200),
  /** Internal working summary; without `statements` it also becomes the "what happened" statement. */
  summary: z.string().trim().max(5000).default(''),
  detectedAt: instant.optional(),
  awareAt: instant.optional(),
  /** The customer-facing texts, per key and language (see statements.ts). */
  statements: statementsInputSchema.optional(),
});
export type NewCase = z.input<typeof newCaseSchema>;

export const caseUpdateSchema = z
  .object({
    title: z.string().trim().min(3).max(200).optional(),
    summary: z.string().trim().max(5000).optional(),
    state: caseStateSchema.optional(),
    detectedAt: instant.nullable().optional(),
    awareAt: instant.nullable().optional(),
    containedAt: instant.nullable().optional(),
    resolvedAt: instant.nullable().optional(),
    /**
     * Close anyway although legal clocks still run or notices were never sent; the reason is
     * audited. Without it such a close is refused (409) with what is still open.
     */
    override: z
      .object({
        reason: z
          .string()
          .trim()
          .min(10, 'must give the reason in at least 10 characters')
          .max(2000),
      })
      .optional(),
  })
  .refine((u) => Object.values(u).some((v) => v !== undefined), 'nothing to update');
export type CaseUpdate = z.input<typeof caseUpdateSchema>;

export const newEventSchema = z.object({
  kind: eventKindSchema.default('note'),
  at: instant.optional(),
  text: z.string().trim().min(1, 'must not be empty').max(5000),
});
export type NewEvent = z.input<typeof newEventSchema>;

export const caseEventViewSchema = z.object({
  id: z.number().int(),
  kind: eventKindSchema,
  at: z.string(),
  text: z.string(),
  actor: z.string(),
  recordedAt: z.string(),
});

export const caseViewSchema = z.object({
  id: z.number().int(),
  reference: z.string(),
  kind: caseKindSchema,
  title: z.string(),
  summary: z.string(),
  state: caseStateSchema,
  affectedFilter: z.string().nullable(),
  detectedAt: z.string().nullable(),
  awareAt: z.string().nullable(),
  containedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  frozenAt: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CaseView = z.infer<typeof caseViewSchema>;

/** Whether the lifecycle allows going from one state to another (forward only). */
export function canTransition(from: CaseState, to: CaseState): boolean {
  return CASE_STATES.indexOf(to) > CASE_STATES.indexOf(from);
}

/** The human reference of a case: INC-2026-0007, ADV-2026-0012. */
export function caseReference(kind: CaseKind, year: number, sequence: number): string {
  return `${kind === 'incident' ? 'INC' : 'ADV'}-${year}-${String(sequence).padStart(4, '0')}`;
}

/** Normalises an ISO instant with offset to UTC `…Z` form, the stored form. */
export function toUtc(iso: string): string {
  return new Date(iso).toISOString();
}
