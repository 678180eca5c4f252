import { z } from 'zod';
import { LANGUAGES } from './language.js';
import { canonicalJson } from './audit-chain.js';
import { createHash } from 'node:crypto';

export const AUDIENCES = ['affected', 'public', 'press', 'regulator'] as const;
export const audienceSchema = z.enum(AUDIENCES);

export const noticeTextSchema = z.object({
  subject: z.string().trim().min(1, 'must not be empty').max(300),
  body: z.string().trim().min(1, 'must not be empty').max(50_000),
});
export type NoticeText = z.infer<typeof noticeTextSchema>;

const textsSchema = z
  .partialRecord(z.enum(LANGUAGES), noticeTextSchema)
  .refine((t) => Object.keys(t).length > 0, 'at least one language version is required');

export const newNoticeSchema = z.object({
  audience: audienceSchema.default('affected'),
  title: z.string().trim().min(1).max(200).optional(),
  defaultLanguage: z.enum(LANGUAGES).optional(),
  /** Without texts, the notice starts from the built-in template for the case's kind. */
  texts: textsSchema.optional(),
});
export type NewNotice = z.input<typeof newNoticeSchema>;

export const noticeUpdateSchema = z.object({
  title: z.string().trim().min(1).max(200).optional(),
  defaultLanguage: z.enum(LANGUAGES).optional(),
  texts: textsSchema.optional(),
});
export type NoticeUpdate = z.input<typeof noticeUpdateSchema>;

export const noticeViewSchema = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
  audience: audienceSchema,
  title: z.string(),
  defaultLanguage: z.enum(LANGUAGES),
  version: z.number().int(),
  contentHash: z.string(),
  status: z.enum(['draft', 'approved', 'changed-since-approval']),
  editors: z.array(z.string()),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  /**
   * The hash of what an approval now would cover: the texts with every case value they use
   * (statements, dates, facts, organisation). Approving pins it.
   */
  approvalHash: z.string(),
  /** The approval in force: its snapshot hash. */
  approvedSnapshotHash: z.string().nullable(),
  /** Why the last approval no longer holds, when it was voided. */
  voided: z.object({ by: z.string(), at: z.string(), reason: z.string() }).nullable(),
  texts: z.partialRecord(z.enum(LANGUAGES), noticeTextSchema),
});
export type NoticeView = z.infer<typeof noticeViewSchema>;

/** The hash an approval signs: any change to audience, languages or text changes it. */
export function noticeContentHash(content: {
  audience: string;
  defaultLanguage: string;
  texts: Partial<Record<string, NoticeText>>;
}): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}
