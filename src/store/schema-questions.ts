import type { ColumnType, Generated, Selectable } from 'kysely';
import type { QuestionState, ReplyState } from '../domain/question.js';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface QuestionsTable {
  id: Generated<number>;
  case_id: number;
  recipient_id: number;
  /** Plain text as the customer wrote it (newlines kept); never rendered as HTML. */
  body: string;
  language: string;
  state: QuestionState;
  /** HMAC of the client address under the installation secret (rate limit only). */
  client_hash: string;
  asked_at: string;
  answered_at: Nullable<string>;
  answered_by: Nullable<string>;
  closed_at: Nullable<string>;
  closed_by: Nullable<string>;
  close_reason: Nullable<string>;
}

export interface QuestionRepliesTable {
  id: Generated<number>;
  question_id: number;
  case_id: number;
  recipient_id: number;
  body: string;
  author: string;
  email: string;
  language: string;
  state: ReplyState;
  attempts: Generated<number>;
  next_attempt_at: string;
  claimed_by: Nullable<string>;
  claimed_at: Nullable<string>;
  message_id: string;
  smtp_response: Nullable<string>;
  sent_at: Nullable<string>;
  created_at: string;
  updated_at: string;
}

export interface QuestionTables {
  questions: QuestionsTable;
  question_replies: QuestionRepliesTable;
}

export type QuestionRow = Selectable<QuestionsTable>;
export type QuestionReplyRow = Selectable<QuestionRepliesTable>;
