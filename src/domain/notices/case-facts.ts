/**
 * Facts a notice may claim. A sentence that claims one ("we have closed the leak", "we have told
 * the Dutch Data Protection Authority") is shown only when the case records it: templates guard
 * such sentences with `{% if facts.contained %}`, and the claims check flags free text that
 * claims a fact the case does not record.
 */
export const CLAIM_FACTS = [
  'contained',
  'resolved',
  'authority_notified',
  'customers_notified',
  'passwords_reset',
] as const;
export type ClaimFact = (typeof CLAIM_FACTS)[number];
export type CaseFacts = Record<ClaimFact, boolean>;

/** What records each fact, for people (the editor's list and the check's messages). */
export const FACT_EVIDENCE: Readonly<Record<ClaimFact, string>> = {
  contained: 'the case has a "contained" milestone',
  resolved: 'the case has a "resolved" milestone',
  authority_notified: 'a report to the supervisory authority is filed (submitted)',
  customers_notified: 'a notice to the affected customers has been dispatched',
  passwords_reset: 'the timeline records that the passwords were reset',
};

/** No fact recorded: a new case. */
export const NO_FACTS: CaseFacts = {
  contained: false,
  resolved: false,
  authority_notified: false,
  customers_notified: false,
  passwords_reset: false,
};

/** The facts of a case from its milestones and the records behind the others. */
export function caseFactsOf(
  kase: { contained_at: string | null; resolved_at: string | null },
  records: { reportSubmitted: boolean; customersNotified: boolean; passwordsReset: boolean },
): CaseFacts {
  return {
    contained: kase.contained_at !== null,
    resolved: kase.resolved_at !== null,
    authority_notified: records.reportSubmitted,
    customers_notified: records.customersNotified,
    passwords_reset: records.passwordsReset,
  };
}
