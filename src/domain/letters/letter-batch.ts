import { z } from 'zod';

/**
 * A print-house batch: one PDF of letters of a dispatch. It is printed when it is built and
 * posted when someone records that it went to the post; it never goes back.
 */
export const letterBatchStateSchema = z.enum(['printed', 'posted']);
export type LetterBatchState = z.infer<typeof letterBatchStateSchema>;
