import { sql, type ExpressionBuilder, type Insertable } from 'kysely';
import type { QuestionState, WindowCount } from '../domain/question.js';
import type { Dialect } from './database.js';
import type { Executor } from './executor.js';
import type { DB } from './schema.js';
import type {
  QuestionRepliesTable,
  QuestionReplyRow,
  QuestionRow,
  QuestionsTable,
} from './schema-questions.js';

/**
 * Serialises askers per recipient and per client address for the rest of the transaction, so
 * two servers cannot both see "4 of 5" and both insert. SQLite transactions already hold the
 * write lock; PostgreSQL takes transaction-scoped advisory locks on the two keys.
 */
export async function lockAskers(
  tx: Executor,
  dialect: Dialect,
  recipientId: number,
  clientHash: string,
): Promise<void> {
  if (dialect !== 'postgres') return;
  for (const key of [`question-recipient:${recipientId}`, `question-client:${clientHash}`]) {
    await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(tx);
  }
}

/** Questions one recipient or one client address sent since `since`, and the oldest one. */
export async function countQuestionsSince(
  db: Executor,
  by: { recipientId: number } | { clientHash: string },
  since: string,
): Promise<WindowCount> {
  let q = db
    .selectFrom('questions')
    .select((eb) => [eb.fn.countAll<string | number>().as('n'), eb.fn.min('asked_at').as('oldest')])
    .where('asked_at', '>', since);
  q =
    'recipientId' in by
      ? q.where('recipient_id', '=', by.recipientId)
      : q.where('client_hash', '=', by.clientHash);
  const row = await q.executeTakeFirst();
  return { count: Number(row?.n ?? 0), oldest: (row?.oldest as string | null) ?? null };
}

export async function insertQuestion(
  db: Executor,
  row: Insertable<QuestionsTable>,
): Promise<number> {
  const inserted = await db
    .insertInto('questions')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** A recipient's questions, newest first. */
export async function listQuestionsOfRecipient(
  db: Executor,
  recipientId: number,
): Promise<QuestionRow[]> {
  return db
    .selectFrom('questions')
    .selectAll()
    .where('recipient_id', '=', recipientId)
    .orderBy('asked_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** The replies to these questions, oldest first. */
export async function listRepliesOf(
  db: Executor,
  questionIds: readonly number[],
): Promise<QuestionReplyRow[]> {
  if (questionIds.length === 0) return [];
  return db
    .selectFrom('question_replies')
    .selectAll()
    .where('question_id', 'in', [...questionIds])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The questions of a case with the asker's row of the affected set; open first, oldest first. */
export async function listCaseQuestions(
  db: Executor,
  caseId: number,
  states: readonly QuestionState[],
  limit: number,
) {
  return db
    .selectFrom('questions as q')
    .innerJoin('case_recipients as r', 'r.id', 'q.recipient_id')
    .select([
      'q.id',
      'q.case_id',
      'q.recipient_id',
      'q.body',
      'q.language',
      'q.state',
      'q.asked_at',
      'q.answered_at',
      'q.answered_by',
      'q.closed_at',
      'q.closed_by',
      'q.close_reason',
      'r.external_id',
      'r.name',
      'r.email',
      'r.language as recipient_language',
      'r.impact',
      'r.acknowledged_at',
      'r.remedied_at',
    ])
    .where('q.case_id', '=', caseId)
    .where('q.state', 'in', [...states])
    .orderBy(sql`case when q.state = 'open' then 0 else 1 end`)
    .orderBy('q.asked_at')
    .orderBy('q.id')
    .limit(limit)
    .execute();
}

/** The notices sent to these recipients: one row per delivery, with the notice's title. */
export async function listDeliveriesOfRecipients(db: Executor, recipientIds: readonly number[]) {
  if (recipientIds.length === 0) return [];
  return db
    .selectFrom('deliveries as d')
    .innerJoin('dispatches as p', 'p.id', 'd.dispatch_id')
    .innerJoin('notices as n', 'n.id', 'p.notice_id')
    .select([
      'd.id',
      'd.recipient_id',
      'd.dispatch_id',
      'd.channel',
      'd.state',
      'd.sent_at',
      'd.updated_at',
      'n.title as notice_title',
    ])
    .where('d.recipient_id', 'in', [...recipientIds])
    .orderBy('d.id')
    .execute();
}

/** The case's live remedies, each text per language, and these recipients' completions. */
export async function listRemedyStates(
  db: Executor,
  caseId: number,
  recipientIds: readonly number[],
) {
  const remedies = await db
    .selectFrom('remedies as m')
    .leftJoin('remedy_texts as t', 't.remedy_id', 'm.id')
    .select(['m.id', 'm.key', 'm.position', 'm.completion', 't.language', 't.title'])
    .where('m.case_id', '=', caseId)
    .where('m.retired_at', 'is', null)
    .orderBy('m.position')
    .orderBy('m.id')
    .execute();
  const completions =
    remedies.length === 0 || recipientIds.length === 0
      ? []
      : await db
          .selectFrom('remedy_completions')
          .selectAll()
          .where('recipient_id', 'in', [...recipientIds])
          .where('remedy_id', 'in', [...new Set(remedies.map((r) => r.id))])
          .execute();
  return { remedies, completions };
}

export async function findCaseQuestion(
  db: Executor,
  caseId: number,
  id: number,
): Promise<QuestionRow | undefined> {
  return db
    .selectFrom('questions')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Marks a question answered (keeping the first answer's time); false when it was closed. */
export async function markQuestionAnswered(
  db: Executor,
  id: number,
  by: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('questions')
    .set((eb) => ({
      state: 'answered',
      answered_at: eb.fn.coalesce('answered_at', eb.val(at)),
      answered_by: eb.fn.coalesce('answered_by', eb.val(by)),
    }))
    .where('id', '=', id)
    .where('state', 'in', ['open', 'answered'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Closes an open question without a reply; false when it was not open any more. */
export async function markQuestionClosed(
  db: Executor,
  id: number,
  by: string,
  at: string,
  reason: string,
): Promise<boolean> {
  const result = await db
    .updateTable('questions')
    .set({ state: 'closed', closed_at: at, closed_by: by, close_reason: reason })
    .where('id', '=', id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertReply(
  db: Executor,
  row: Insertable<QuestionRepliesTable>,
): Promise<number> {
  const inserted = await db
    .insertInto('question_replies')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/**
 * Claims due replies for one sender: queued ones whose time has come, and ones a sender that
 * died left in 'sending'. The conditional update is the claim: of two processes updating the
 * same candidates, only the one whose update still matched gets each row back.
 */
export async function claimDueReplies(
  db: Executor,
  worker: string,
  now: string,
  staleBefore: string,
  limit: number,
): Promise<QuestionReplyRow[]> {
  const due = (eb: ExpressionBuilder<DB, 'question_replies'>) =>
    eb.or([
      eb.and([eb('state', '=', 'queued'), eb('next_attempt_at', '<=', now)]),
      eb.and([eb('state', '=', 'sending'), eb('claimed_at', '<', staleBefore)]),
    ]);
  const candidates = await db
    .selectFrom('question_replies')
    .select('id')
    .where(due)
    .orderBy('id')
    .limit(limit)
    .execute();
  if (candidates.length === 0) return [];
  const rows = await db
    .updateTable('question_replies')
    .set({ state: 'sending', claimed_by: worker, claimed_at: now, updated_at: now })
    .where(
      'id',
      'in',
      candidates.map((c) => c.id),
    )
    .where(due)
    .returningAll()
    .execute();
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

/** Records one attempt, only while this sender still holds the claim. */
export async function recordReplyAttempt(
  db: Executor,
  id: number,
  worker: string,
  outcome: {
    state: 'sent' | 'queued' | 'failed';
    attempts: number;
    nextAttemptAt: string;
    response: string | null;
    now: string;
  },
): Promise<void> {
  await db
    .updateTable('question_replies')
    .set({
      state: outcome.state,
      attempts: outcome.attempts,
      next_attempt_at: outcome.nextAttemptAt,
      smtp_response: outcome.response,
      sent_at: outcome.state === 'sent' ? outcome.now : null,
      claimed_by: null,
      claimed_at: null,
      updated_at: outcome.now,
    })
    .where('id', '=', id)
    .where('claimed_by', '=', worker)
    .execute();
}

/** The recipient row a reply goes to (for the mail's name and personal link). */
export async function findReplyRecipient(db: Executor, recipientId: number) {
  return db
    .selectFrom('case_recipients')
    .select(['id', 'case_id', 'name', 'external_id', 'token_revoked_at', 'attributes', 'country'])
    .where('id', '=', recipientId)
    .executeTakeFirst();
}

/** Counts per state, and each answered question's asked/first-answer times. */
export async function inboxFigures(db: Executor, caseId: number) {
  const counts = await db
    .selectFrom('questions')
    .select((eb) => ['state', eb.fn.countAll<string | number>().as('n')])
    .where('case_id', '=', caseId)
    .groupBy('state')
    .execute();
  const answered = await db
    .selectFrom('questions')
    .select(['asked_at', 'answered_at'])
    .where('case_id', '=', caseId)
    .where('answered_at', 'is not', null)
    .execute();
  return {
    counts: new Map(counts.map((c) => [c.state, Number(c.n)])),
    answered: answered.map((a) => ({ askedAt: a.asked_at, answeredAt: a.answered_at! })),
  };
}
