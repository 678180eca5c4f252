/**
 * Delivery states: the delivery table is the queue. Email deliveries go queued → sending →
 * sent / deferred / bounced / failed (or cancelled); letters (channel `letter`) are printed
 * when their batch is built and posted when the batch is handed to the post.
 */
export const DELIVERY_STATES = [
  'queued',
  'sending',
  'sent',
  'deferred',
  'bounced',
  'failed',
  'cancelled',
  'printed',
  'posted',
] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** States a delivery never leaves. */
export const FINAL_STATES: readonly DeliveryState[] = [
  'sent',
  'bounced',
  'failed',
  'cancelled',
  'posted',
];

/** The channels a delivery goes by. */
export const DELIVERY_CHANNELS = ['email', 'letter'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

export const DISPATCH_STATES = [
  'preparing',
  'running',
  'paused',
  'cancelled',
  'completed',
] as const;
export type DispatchState = (typeof DISPATCH_STATES)[number];

/** How one send attempt ended, as the SMTP client saw it. */
export type SendOutcome =
  | { kind: 'accepted'; response: string }
  | { kind: 'rejected'; code: number; response: string }
  | { kind: 'transient'; reason: string };

/** Retry policy for temporary failures. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 60_000,
  maxDelayMs: 6 * 3600_000,
};

/** The state a delivery moves to after an attempt, and when to try again. */
export interface AttemptResult {
  state: 'sent' | 'deferred' | 'bounced' | 'failed';
  response: string;
  nextAttemptAt: string | null;
}

/**
 * 2xx: sent. 5xx: bounced at once, never retried (the receiver said no for good). 4xx,
 * dropped connections and timeouts: deferred with exponential backoff, failed after the
 * last attempt.
 */
export function classifyAttempt(
  outcome: SendOutcome,
  attempts: number,
  policy: RetryPolicy,
  now: number,
): AttemptResult {
  if (outcome.kind === 'accepted')
    return { state: 'sent', response: outcome.response, nextAttemptAt: null };
  if (outcome.kind === 'rejected' && outcome.code >= 500) {
    return { state: 'bounced', response: outcome.response, nextAttemptAt: null };
  }
  const response = outcome.kind === 'rejected' ? outcome.response : outcome.reason;
  if (attempts >= policy.maxAttempts) {
    return {
      state: 'failed',
      response: `${response} (gave up after ${attempts} attempts)`,
      nextAttemptAt: null,
    };
  }
  const delay = Math.min(policy.baseDelayMs * 2 ** (attempts - 1), policy.maxDelayMs);
  return { state: 'deferred', response, nextAttemptAt: new Date(now + delay).toISOString() };
}

/**
 * The Message-ID of a delivery: deterministic, so a re-send after a crash carries the same
 * one (receivers can fold it), and it names the delivery so a bounce finds it by key.
 */
export function deliveryMessageId(deliveryId: number, dispatchId: number, domain: string): string {
  return `<candor.${dispatchId}.${deliveryId}@${domain}>`;
}

/** The delivery id inside a Message-ID made by deliveryMessageId, or null. */
export function deliveryIdFromMessageId(messageId: string): number | null {
  const match = /^<?candor\.(\d+)\.(\d+)@[^>]+>?$/.exec(messageId.trim());
  return match ? Number(match[2]) : null;
}
