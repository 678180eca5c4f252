import {
  completedAt,
  type CompletionSource,
  type CompletionState,
  type RemedyCompletion,
} from './remedy.js';

/** One recipient's completion row as stored. */
export interface CompletionRow extends CompletionState {
  completedAt: string | null;
}

/** What one confirm or withdraw does to a row. */
export interface CompletionTransition {
  next: CompletionRow;
  /** False when the source had already confirmed (confirm) or had not (withdraw). */
  changed: boolean;
  /** The rule became met by this step. */
  completed: boolean;
  /** The rule was met and no longer is. */
  reopened: boolean;
}

const FIELD = {
  customer: 'customerConfirmedAt',
  provider: 'providerConfirmedAt',
} as const satisfies Record<CompletionSource, keyof CompletionState>;

/**
 * Applies one source's confirm or withdraw at `at`. Idempotent: confirming twice keeps the
 * first time, withdrawing what is not there changes nothing. Once met, the completion keeps its
 * first time until a withdrawal breaks the rule.
 */
export function applyConfirmation(
  rule: RemedyCompletion,
  row: CompletionRow,
  source: CompletionSource,
  action: 'confirm' | 'withdraw',
  at: string,
): CompletionTransition {
  const field = FIELD[source];
  const present = row[field] !== null;
  if ((action === 'confirm') === present) {
    return { next: row, changed: false, completed: false, reopened: false };
  }
  const state: CompletionState = {
    customerConfirmedAt: row.customerConfirmedAt,
    providerConfirmedAt: row.providerConfirmedAt,
    [field]: action === 'confirm' ? at : null,
  };
  const met = completedAt(rule, state);
  const next: CompletionRow = {
    ...state,
    completedAt: met === null ? null : (row.completedAt ?? met),
  };
  return {
    next,
    changed: true,
    completed: row.completedAt === null && next.completedAt !== null,
    reopened: row.completedAt !== null && next.completedAt === null,
  };
}

export const EMPTY_COMPLETION: CompletionRow = {
  customerConfirmedAt: null,
  providerConfirmedAt: null,
  completedAt: null,
};
