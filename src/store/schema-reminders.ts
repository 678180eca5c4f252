import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ReminderSendState } from '../domain/reminders/reminder.js';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface ReminderRulesTable {
  id: Generated<number>;
  case_id: number;
  notice_id: number;
  condition: string;
  remedy_id: Nullable<number>;
  days: number;
  max_sends: number;
  refusal: Nullable<string>;
  created_by: string;
  created_at: string;
  updated_at: string;
  retired_at: Nullable<string>;
}

export interface ReminderSendsTable {
  id: Generated<number>;
  rule_id: number;
  case_id: number;
  run_no: number;
  state: ReminderSendState;
  dispatch_id: Nullable<number>;
  selected: number;
  recipients: number;
  at: string;
  created_by: string;
}

export interface ReminderSendRecipientsTable {
  send_id: number;
  recipient_id: number;
}

export interface ReminderEscalationsTable {
  case_id: number;
  enabled: number;
  after_days: number;
  updated_by: string;
  updated_at: string;
}

export interface ReminderTables {
  reminder_rules: ReminderRulesTable;
  reminder_sends: ReminderSendsTable;
  reminder_send_recipients: ReminderSendRecipientsTable;
  reminder_escalations: ReminderEscalationsTable;
}

export type ReminderRuleRow = Selectable<ReminderRulesTable>;
export type ReminderSendRow = Selectable<ReminderSendsTable>;
export type ReminderEscalationRow = Selectable<ReminderEscalationsTable>;
