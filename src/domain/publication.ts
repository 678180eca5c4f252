import { z } from 'zod';

/**
 * The public record of one case: what the security page, the feeds, CSAF and webhooks may
 * show. A `PublishedCase` is a snapshot that is already stripped of every embargoed part, so
 * a consumer can never leak technical detail by accident: it never sees it.
 */

export const PUBLIC_LANGUAGES = ['nl', 'en'] as const;
export const publicLanguageSchema = z.enum(PUBLIC_LANGUAGES);
export type PublicLanguage = z.infer<typeof publicLanguageSchema>;

export const UPDATE_STATUSES = [
  'investigating',
  'identified',
  'contained',
  'resolved',
  'update',
] as const;
export const updateStatusSchema = z.enum(UPDATE_STATUSES);
export type UpdateStatus = z.infer<typeof updateStatusSchema>;

export const PUBLICATION_EVENT_KINDS = ['published', 'updated', 'released', 'withdrawn'] as const;
export const publicationEventKindSchema = z.enum(PUBLICATION_EVENT_KINDS);
export type PublicationEventKind = z.infer<typeof publicationEventKindSchema>;

/** A subscriber to the security updates: awaiting confirmation (double opt-in), confirmed, gone. */
export const subscriberStateSchema = z.enum(['pending', 'confirmed', 'unsubscribed']);
export type SubscriberState = z.infer<typeof subscriberStateSchema>;

/** One update mail to a confirmed subscriber, as the outbox loop sends it. */
export const subscriberMailStateSchema = z.enum(['queued', 'sending', 'sent', 'failed']);
export type SubscriberMailState = z.infer<typeof subscriberMailStateSchema>;

/** One webhook delivery (a signed POST of one event), as the outbox loop sends it. */
export const webhookDeliveryStateSchema = z.enum(['queued', 'sending', 'delivered', 'failed']);
export type WebhookDeliveryState = z.infer<typeof webhookDeliveryStateSchema>;

/** One language version of the public text: Markdown, embargo-free. */
export const publicTextSchema = z.object({
  title: z.string(),
  /** The first paragraph as plain text: for listings and feed summaries. */
  summary: z.string(),
  /** Markdown (no raw HTML), with every still-embargoed block removed. */
  body: z.string(),
});
export type PublicText = z.infer<typeof publicTextSchema>;

const perLanguage = <T extends z.ZodType>(schema: T) =>
  z.partialRecord(publicLanguageSchema, schema);

export const publicUpdateSchema = z.object({
  id: z.number().int(),
  status: updateStatusSchema,
  at: z.string(),
  /** Markdown per language, embargo-free. */
  text: perLanguage(z.string()),
});
export type PublicUpdate = z.infer<typeof publicUpdateSchema>;

export const pressStatementSchema = z.object({
  publishedAt: z.string(),
  texts: perLanguage(z.object({ title: z.string(), body: z.string() })),
});
export type PressStatement = z.infer<typeof pressStatementSchema>;

export const publicRevisionSchema = z.object({
  number: z.number().int().min(1),
  date: z.string(),
  summary: z.string(),
});
export type PublicRevision = z.infer<typeof publicRevisionSchema>;

export const transparencySchema = z.object({
  /** Hours from aware_at to the first customer notice (first dispatch), or null if unknown. */
  hoursToFirstCustomerNotice: z.number().nullable(),
  /** Hours from aware_at to the first publication, or null if unknown. */
  hoursToPublicNotice: z.number().nullable(),
});
export type Transparency = z.infer<typeof transparencySchema>;

export const publishedCaseSchema = z.object({
  caseId: z.number().int(),
  reference: z.string(),
  kind: z.enum(['incident', 'advisory']),
  /** The year of first publication: part of the stable URL. */
  year: z.number().int(),
  slug: z.string(),
  /** Site-relative paths; absolute URLs are the consumer's business (public URL setting). */
  paths: z.object({
    /** /security/{year}/{slug} */
    page: z.string(),
    /** /en/security/{year}/{slug} */
    pageEn: z.string(),
    pressText: z.string().nullable(),
    pressPdf: z.string().nullable(),
  }),
  state: z.string(),
  texts: perLanguage(publicTextSchema),
  defaultLanguage: publicLanguageSchema,
  publishedAt: z.string(),
  updatedAt: z.string(),
  awareAt: z.string().nullable(),
  firstCustomerNoticeAt: z.string().nullable(),
  publicNoticeAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  /** Oldest first. */
  updates: z.array(publicUpdateSchema),
  pressStatement: pressStatementSchema.optional(),
  /** Oldest first; a new revision each time the public content changes. */
  revisions: z.array(publicRevisionSchema),
  /** Whether some technical detail is still held back (its text is absent). */
  embargoPending: z.boolean(),
  transparency: transparencySchema,
});
export type PublishedCase = z.infer<typeof publishedCaseSchema>;

/** One row of the outbox: written in the same transaction as the public change it reports. */
export const publicationEventSchema = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
  reference: z.string(),
  kind: publicationEventKindSchema,
  at: z.string(),
  /** The case's public revision number after this change. */
  revision: z.number().int(),
  /** The site revision after this change (monotonic over all cases). */
  siteRevision: z.number().int(),
});
export type PublicationEvent = z.infer<typeof publicationEventSchema>;

/** Hours between two instants, one decimal; null when either is unknown or negative. */
export function hoursBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return null;
  return Math.round(ms / 360_000) / 10;
}

/** The URL slug of a title: lower-case ASCII words joined by dashes. */
export function slugify(text: string, max = 60): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, max).replace(/-+$/, '') || 'notice';
}

/** The stable slug of a published case: its reference and its title. */
export function publicationSlug(reference: string, title: string): string {
  return `${reference.toLowerCase()}-${slugify(title, 50)}`.replace(/-+$/, '');
}

/** The public page paths of a case. */
export function publicationPaths(year: number, slug: string, hasPress: boolean) {
  const page = `/security/${year}/${slug}`;
  return {
    page,
    pageEn: `/en${page}`,
    pressText: hasPress ? `${page}/press.txt` : null,
    pressPdf: hasPress ? `${page}/press.pdf` : null,
  };
}
