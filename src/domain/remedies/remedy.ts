import { z } from 'zod';

/** Who may say a remedy is done: the customer on their page, the provider's systems, or both. */
export const REMEDY_COMPLETIONS = ['customer', 'provider', 'both'] as const;
export const remedyCompletionSchema = z.enum(REMEDY_COMPLETIONS);
export type RemedyCompletion = z.infer<typeof remedyCompletionSchema>;

/** Who confirmed or withdrew a completion. */
export const COMPLETION_SOURCES = ['customer', 'provider'] as const;
export type CompletionSource = (typeof COMPLETION_SOURCES)[number];

/**
 * What a completion event records: a source confirming or withdrawing, and the rule being met
 * ('completed') or lost again ('reopened'), so the curve can be read from the events alone.
 */
export const COMPLETION_ACTIONS = ['confirm', 'withdraw', 'completed', 'reopened'] as const;
export type CompletionAction = (typeof COMPLETION_ACTIONS)[number];

/** The confirmations one recipient has for one remedy. */
export interface CompletionState {
  customerConfirmedAt: string | null;
  providerConfirmedAt: string | null;
}

/** Whether the remedy's rule is met by these confirmations. */
export function isCompleted(rule: RemedyCompletion, state: CompletionState): boolean {
  const customer = state.customerConfirmedAt !== null;
  const provider = state.providerConfirmedAt !== null;
  if (rule === 'customer') return customer;
  if (rule === 'provider') return provider;
  return customer && provider;
}

/**
 * When the rule was met: the later of the confirmations it needs, or null while it is not.
 * `both` is complete at the second confirmation, not the first.
 */
export function completedAt(rule: RemedyCompletion, state: CompletionState): string | null {
  if (!isCompleted(rule, state)) return null;
  if (rule === 'customer') return state.customerConfirmedAt;
  if (rule === 'provider') return state.providerConfirmedAt;
  return [state.customerConfirmedAt!, state.providerConfirmedAt!].sort().at(-1)!;
}

/** Whether a customer may confirm this remedy on their personal page. */
export function customerMayConfirm(rule: RemedyCompletion): boolean {
  return rule !== 'provider';
}
