import { z } from 'zod';
import { LANGUAGES } from '../language.js';
import { remedyCompletionSchema } from './remedy.js';

/** A remedy's key: lowercase letters, digits and hyphens, at most 63. */
export const REMEDY_KEY = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** What the API and CLI name a remedy by: stable per case, readable in a URL and a file. */
export const remedyKeySchema = z
  .string()
  .regex(
    REMEDY_KEY,
    'a key is lowercase letters, digits and hyphens (at most 63), e.g. update-plugin',
  );

/** One language of a remedy: a short title and Markdown instructions (as the statements). */
export const remedyTextSchema = z.object({
  title: z.string().trim().min(1, 'a title is required').max(200, 'at most 200 characters'),
  instructions: z
    .string()
    .max(20_000, 'at most 20,000 characters')
    .transform((s) => s.replace(/\r\n/g, '\n').trim()),
});
export type RemedyText = z.infer<typeof remedyTextSchema>;

export const remedyTextsSchema = z.partialRecord(z.enum(LANGUAGES), remedyTextSchema);
export type RemedyTexts = z.infer<typeof remedyTextsSchema>;

export const remedyCreateSchema = z.object({
  key: remedyKeySchema,
  completion: remedyCompletionSchema.describe(
    'who says it is done: customer (on their page), provider (your systems, via the API) or both',
  ),
  texts: remedyTextsSchema.describe('per language: title and Markdown instructions'),
});
export type RemedyCreate = z.infer<typeof remedyCreateSchema>;

export const remedyUpdateSchema = z.object({
  completion: remedyCompletionSchema.optional(),
  /** Languages given are replaced; languages left out stay. */
  texts: remedyTextsSchema.optional(),
  /** 1-based place in the case's list; the others move up or down. */
  position: z.number().int().min(1).max(1000).optional(),
  /** true retires the remedy (kept with its confirmations, no longer shown); false restores. */
  retired: z.boolean().optional(),
});
export type RemedyUpdate = z.infer<typeof remedyUpdateSchema>;

/** Most external ids one confirmation request may carry. */
export const MAX_CONFIRMATIONS_PER_REQUEST = 100_000;

export const confirmationsInputSchema = z.object({
  externalIds: z
    .array(z.string())
    .min(1, 'give at least one external id')
    .max(MAX_CONFIRMATIONS_PER_REQUEST, `at most ${MAX_CONFIRMATIONS_PER_REQUEST} per request`)
    .describe("the provider's own customer keys (external_id)"),
});
export type ConfirmationsInput = z.infer<typeof confirmationsInputSchema>;

/**
 * The languages a remedy must be written in that it lacks: those the case's customer notice is
 * written in (a reader gets the remedy in the notice's language), or any one when there is no
 * notice yet.
 */
export function missingRemedyLanguages(
  texts: RemedyTexts,
  noticeLanguages: readonly string[],
): string[] {
  const have = Object.keys(texts);
  if (noticeLanguages.length === 0) return have.length === 0 ? [LANGUAGES[0]] : [];
  return noticeLanguages.filter((l) => !have.includes(l));
}
