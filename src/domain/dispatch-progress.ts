import { z } from 'zod';
import { DISPATCH_STATES } from './delivery.js';

const count = z.number().int();

/**
 * Where a dispatch stands: what the API answers, the CLI prints and the workspace streams. The
 * service's result type is inferred from it, so the two cannot drift apart.
 */
export const dispatchProgressSchema = z.object({
  id: z.number().int(),
  noticeId: z.number().int(),
  caseId: z.number().int(),
  state: z.enum(DISPATCH_STATES),
  total: count,
  counts: z.object({
    queued: count,
    sending: count,
    sent: count,
    deferred: count,
    bounced: count,
    failed: count,
    cancelled: count,
  }),
  done: count,
  rate: z.number().describe('messages per second over the last minute'),
  etaSeconds: z
    .number()
    .nullable()
    .describe('seconds until done at the current rate, or null when not sending'),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  deferral: z
    .object({ response: z.string().nullable(), at: z.string(), nextAttemptAt: z.string() })
    .nullable()
    .describe('why deliveries wait to be retried (e.g. the relay is unreachable), and until when'),
});
export type DispatchProgress = z.infer<typeof dispatchProgressSchema>;
