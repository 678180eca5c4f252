import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ClockAlertStatus, ClockKind } from '../domain/assessment/legal-clocks.js';
import type { JsonColumn } from './json-column.js';

// The tables of the assessment: versions of the facts per case with the advice computed
// from them, the overrides of that advice with their rationale, and the legal-clock alerts
// already sent (one row per alert, so several processes never send one twice).

export interface AssessmentFactsTable {
  id: Generated<number>;
  case_id: number;
  /** 1, 2, 3… per case; the highest is in force. */
  version: number;
  facts: JsonColumn;
  /** The advice (Assessment, English texts) as computed when these facts were recorded. */
  advice: JsonColumn;
  recorded_by: string;
  recorded_at: string;
}

export interface AssessmentOverridesTable {
  id: Generated<number>;
  case_id: number;
  /** The facts version whose advice was overridden. */
  facts_version: number;
  /** authority | subjects | nis2 */
  decision: string;
  /** 1 notify / significant, 0 not. */
  notify: number;
  /** For the subjects decision: 1 public communication instead of individual messages. */
  public_communication: number | null;
  /** What the advice said (1/0) when it was overridden. */
  advice_notify: number;
  rationale: string;
  decided_by: string;
  decided_at: string;
}

export interface ClockAlertsTable {
  id: Generated<number>;
  /** case:clock:threshold:due_at:user — unique, so an alert is claimed by inserting it. */
  alert_key: string;
  case_id: number;
  clock_kind: ClockKind;
  /** 50 | 90 | overdue */
  threshold: string;
  due_at: string;
  user_id: number;
  email: string;
  /** sending → sent, or skipped; a failed send removes its row so a later tick retries. */
  status: ClockAlertStatus;
  claimed_at: string;
  sent_at: ColumnType<string | null, string | null | undefined, string | null>;
  message_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AssessmentTables {
  assessment_facts: AssessmentFactsTable;
  assessment_overrides: AssessmentOverridesTable;
  clock_alerts: ClockAlertsTable;
}

export type AssessmentFactsRow = Selectable<AssessmentFactsTable>;
export type AssessmentOverrideRow = Selectable<AssessmentOverridesTable>;
export type ClockAlertRow = Selectable<ClockAlertsTable>;
