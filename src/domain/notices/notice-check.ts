import { z } from 'zod';

/**
 * The result of checking a notice against its case (syntax, unknown placeholders, values
 * missing for some recipients): what the API answers and the approval step shows. The
 * service's result type is inferred from it.
 */
export const noticeCheckSchema = z.object({
  ok: z.boolean(),
  /** One line per problem, for people: syntax errors, unknown placeholders, missing values. */
  errors: z.array(z.string()),
  unknown: z.array(
    z.object({ language: z.string(), path: z.string(), line: z.number(), column: z.number() }),
  ),
  missing: z.array(z.object({ language: z.string(), path: z.string(), count: z.number() })),
  recipients: z.number().int(),
});
export type NoticeCheck = z.infer<typeof noticeCheckSchema>;
