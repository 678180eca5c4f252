import type { ColumnType, Generated, Selectable } from 'kysely';
import type {
  CompletionAction,
  CompletionSource,
  RemedyCompletion,
} from '../domain/remedies/remedy.js';
import type { RecallEventKind } from '../domain/recall-event.js';
import type { JsonColumn } from './json-column.js';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface RemediesTable {
  id: Generated<number>;
  case_id: number;
  /** Stable per case (`update-plugin`): what the API and CLI name it by. */
  key: string;
  position: number;
  completion: RemedyCompletion;
  created_by: string;
  created_at: string;
  updated_at: string;
  retired_at: Nullable<string>;
}

export interface RemedyTextsTable {
  remedy_id: number;
  language: string;
  title: string;
  /** Markdown, as the notices' statements. */
  instructions: string;
  updated_by: string;
  updated_at: string;
}

export interface RemedyCompletionsTable {
  remedy_id: number;
  recipient_id: number;
  customer_confirmed_at: Nullable<string>;
  provider_confirmed_at: Nullable<string>;
  completed_at: Nullable<string>;
  updated_at: string;
}

export interface RemedyCompletionEventsTable {
  id: Generated<number>;
  remedy_id: number;
  recipient_id: number;
  source: CompletionSource;
  action: CompletionAction;
  at: string;
  actor: string;
}

export interface RecallEventsTable {
  id: Generated<number>;
  kind: RecallEventKind;
  case_id: number;
  recipient_id: Nullable<number>;
  data: JsonColumn;
  at: string;
  fanned_out_at: Nullable<string>;
}

export interface RemedyTables {
  remedies: RemediesTable;
  remedy_texts: RemedyTextsTable;
  remedy_completions: RemedyCompletionsTable;
  remedy_completion_events: RemedyCompletionEventsTable;
  recall_events: RecallEventsTable;
}

export type RemedyRow = Selectable<RemediesTable>;
export type RemedyTextRow = Selectable<RemedyTextsTable>;
export type RemedyCompletionRow = Selectable<RemedyCompletionsTable>;
export type RecallEventRow = Selectable<RecallEventsTable>;
