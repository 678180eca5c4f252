import { createHmac, randomUUID } from 'node:crypto';
import { LANGUAGES, type Language } from '../../config.js';
import { authorize, type Actor } from '../../domain/access.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import {
  CLOSE_REASON_MAX_CHARS,
  DEFAULT_QUESTION_LIMITS,
  QUESTION_MAX_CHARS,
  REPLY_MAX_CHARS,
  checkPlainText,
  medianMs,
  retryAt,
  type InboxCounts,
  type QuestionLimits,
  type QuestionState,
  type ReplyState,
  type TextProblem,
} from '../../domain/question.js';
import type { Database } from '../../store/database.js';
import { nowIso, type Executor, readFactsObject } from '../../store/executor.js';
import * as questions from '../../store/question.repository.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case.service.js';
import { recipientActor, type PageVisitor } from './personal-page.service.js';
import { recordRecallEvent } from '../cases/recall-events.service.js';

/**
 * Customer questions: asked on the personal page, answered (by email) or closed from the case's
 * inbox in the workspace or through the API. Every write is one transaction with its audit
 * entry; the reply mail itself goes out from the outbox (question-reply-sender.service.ts).
 */

export interface QuestionDeps {
  database: Database;
  secret: Buffer;
  defaultLanguage: Language;
  messageIdDomain: string;
  /** Overrides the default rate limits (tests). */
  questionLimits?: QuestionLimits;
}

export type AskResult =
  | { kind: 'asked'; questionId: number }
  | { kind: 'invalid'; problem: TextProblem }
  | { kind: 'limited'; by: 'recipient' | 'address'; retryAt: string };

/** A question as its asker sees it on their page, with the answers. */
export interface AskedQuestion {
  id: number;
  body: string;
  state: QuestionState;
  askedAt: string;
  closedAt: string | null;
  replies: { body: string; at: string }[];
}

/**
 * Records a question from the personal page, unless the text is refused or the visitor (by
 * recipient or by client address) has reached the limit. The counts are read in the
 * transaction that inserts, under a lock per recipient and address, so several servers share
 * one limit. The webhook event names the question, not its text (it may hold personal data).
 */
export async function askQuestion(
  visitor: PageVisitor,
  text: string,
  deps: QuestionDeps,
): Promise<AskResult> {
  const checked = checkPlainText(text, QUESTION_MAX_CHARS);
  if (!checked.ok) return { kind: 'invalid', problem: checked.problem };
  const limits = deps.questionLimits ?? DEFAULT_QUESTION_LIMITS;
  const { db, dialect } = deps.database;
  const r = visitor.recipient;
  const clientHash = createHmac('sha256', deps.secret)
    .update(`question-client:${visitor.source}`)
    .digest('base64url');
  return db.transaction().execute(async (tx): Promise<AskResult> => {
    await questions.lockAskers(tx, dialect, Number(r.id), clientHash);
    const now = nowIso();
    const since = new Date(Date.parse(now) - limits.windowMs).toISOString();
    const mine = await questions.countQuestionsSince(tx, { recipientId: Number(r.id) }, since);
    const byRecipient = retryAt(mine, limits.perRecipient, limits.windowMs);
    if (byRecipient) return { kind: 'limited', by: 'recipient', retryAt: byRecipient };
    const theirs = await questions.countQuestionsSince(tx, { clientHash }, since);
    const byAddress = retryAt(theirs, limits.perAddress, limits.windowMs);
    if (byAddress) return { kind: 'limited', by: 'address', retryAt: byAddress };
    const questionId = await questions.insertQuestion(tx, {
      case_id: Number(r.case_id),
      recipient_id: Number(r.id),
      body: checked.text,
      language: pageLanguage(r.language, deps.defaultLanguage),
      state: 'open',
      client_hash: clientHash,
      asked_at: now,
    });
    await appendAudit(tx, dialect, recipientActor(visitor), {
      action: 'question.ask',
      objectType: 'question',
      objectId: questionId,
      details: { caseId: Number(r.case_id), characters: [...checked.text].length },
    });
    await recordRecallEvent(tx, {
      kind: 'question.received',
      caseId: Number(r.case_id),
      recipientId: Number(r.id),
      data: { questionId },
      at: now,
    });
    return { kind: 'asked', questionId };
  });
}

/** The visitor's own questions, newest first, each with the answers sent to them. */
export async function listAskedQuestions(
  visitor: PageVisitor,
  deps: { database: Database },
): Promise<AskedQuestion[]> {
  const { db } = deps.database;
  const rows = await questions.listQuestionsOfRecipient(db, Number(visitor.recipient.id));
  const replies = await questions.listRepliesOf(
    db,
    rows.map((q) => Number(q.id)),
  );
  return rows.map((q) => ({
    id: Number(q.id),
    body: q.body,
    state: q.state,
    askedAt: q.asked_at,
    closedAt: q.closed_at,
    replies: replies
      .filter((a) => Number(a.question_id) === Number(q.id) && a.state !== 'failed')
      .map((a) => ({ body: a.body, at: a.created_at })),
  }));
}

/** One question in the inbox, with what the team needs to answer it. */
export interface InboxQuestion {
  id: number;
  body: string;
  state: QuestionState;
  language: string;
  askedAt: string;
  answeredAt: string | null;
  answeredBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  closeReason: string | null;
  recipient: {
    id: number;
    externalId: string;
    name: string | null;
    email: string | null;
    language: string;
    impact: Record<string, unknown>;
    acknowledgedAt: string | null;
    remediedAt: string | null;
  };
  deliveries: {
    dispatchId: number;
    notice: string;
    channel: string;
    state: string;
    at: string | null;
  }[];
  remedies: {
    key: string;
    title: string;
    state: 'completed' | 'customer' | 'provider' | 'open';
    at: string | null;
  }[];
  replies: {
    id: number;
    body: string;
    author: string;
    state: ReplyState;
    attempts: number;
    createdAt: string;
    sentAt: string | null;
    response: string | null;
  }[];
}

export const INBOX_FILTERS = ['open', 'answered', 'closed', 'all'] as const;
export type InboxFilter = (typeof INBOX_FILTERS)[number];

/** The case's inbox: its questions (open first) with each asker's context, and the counts. */
export async function getCaseInbox(
  actor: Actor,
  caseRef: string | number,
  filter: InboxFilter,
  deps: { database: Database },
) {
  authorize(actor, 'cases:read');
  const { db } = deps.database;
  const kase = await requireCase(db, caseRef);
  const states: QuestionState[] = filter === 'all' ? ['open', 'answered', 'closed'] : [filter];
  const rows = await questions.listCaseQuestions(db, kase.id, states, 500);
  const recipientIds = [...new Set(rows.map((q) => Number(q.recipient_id)))];
  const [deliveries, remedyStates, replies, counts] = await Promise.all([
    questions.listDeliveriesOfRecipients(db, recipientIds),
    questions.listRemedyStates(db, kase.id, recipientIds),
    questions.listRepliesOf(
      db,
      rows.map((q) => Number(q.id)),
    ),
    inboxCounts(db, kase.id),
  ]);
  const list: InboxQuestion[] = rows.map((q) => {
    const rid = Number(q.recipient_id);
    return {
      id: Number(q.id),
      body: q.body,
      state: q.state,
      language: q.language,
      askedAt: q.asked_at,
      answeredAt: q.answered_at,
      answeredBy: q.answered_by,
      closedAt: q.closed_at,
      closedBy: q.closed_by,
      closeReason: q.close_reason,
      recipient: {
        id: rid,
        externalId: q.external_id,
        name: q.name,
        email: q.email,
        language: q.recipient_language,
        impact: readFactsObject(q.impact),
        acknowledgedAt: q.acknowledged_at,
        remediedAt: q.remedied_at,
      },
      deliveries: deliveries
        .filter((d) => Number(d.recipient_id) === rid)
        .map((d) => ({
          dispatchId: Number(d.dispatch_id),
          notice: d.notice_title,
          channel: d.channel,
          state: d.state,
          at: d.sent_at ?? d.updated_at,
        })),
      remedies: remedyStatesOf(remedyStates, rid, q.recipient_language),
      replies: replies
        .filter((a) => Number(a.question_id) === Number(q.id))
        .map((a) => ({
          id: Number(a.id),
          body: a.body,
          author: a.author,
          state: a.state,
          attempts: Number(a.attempts),
          createdAt: a.created_at,
          sentAt: a.sent_at,
          response: a.smtp_response,
        })),
    };
  });
  return { kase, questions: list, counts };
}

/** Each live remedy's title in the recipient's language (else any) and where they stand. */
function remedyStatesOf(
  states: Awaited<ReturnType<typeof questions.listRemedyStates>>,
  recipientId: number,
  language: string,
): InboxQuestion['remedies'] {
  const byId = new Map<number, { key: string; titles: Map<string, string> }>();
  for (const m of states.remedies) {
    const entry = byId.get(Number(m.id)) ?? { key: m.key, titles: new Map<string, string>() };
    if (m.language && m.title) entry.titles.set(m.language, m.title);
    byId.set(Number(m.id), entry);
  }
  return [...byId.entries()].map(([id, m]) => {
    const c = states.completions.find(
      (x) => Number(x.remedy_id) === id && Number(x.recipient_id) === recipientId,
    );
    const state = c?.completed_at
      ? 'completed'
      : c?.customer_confirmed_at
        ? 'customer'
        : c?.provider_confirmed_at
          ? 'provider'
          : 'open';
    return {
      key: m.key,
      title: m.titles.get(language) ?? [...m.titles.values()][0] ?? m.key,
      state,
      at: c?.completed_at ?? c?.customer_confirmed_at ?? c?.provider_confirmed_at ?? null,
    };
  });
}

/** Open / answered / closed and the median time to a first answer, for one case. */
export async function inboxCounts(db: Executor, caseId: number): Promise<InboxCounts> {
  const figures = await questions.inboxFigures(db, caseId);
  return {
    open: figures.counts.get('open') ?? 0,
    answered: figures.counts.get('answered') ?? 0,
    closed: figures.counts.get('closed') ?? 0,
    medianAnswerMs: medianMs(
      figures.answered.map((a) => Date.parse(a.answeredAt) - Date.parse(a.askedAt)),
    ),
  };
}

/**
 * Replies to a question: the reply is stored with the case and queued for the asker's email
 * address, and the question counts as answered (from its first reply). A closed question
 * takes no reply; an answered one takes a follow-up.
 */
export async function replyToQuestion(
  actor: Actor,
  caseRef: string | number,
  questionId: number,
  text: string,
  deps: QuestionDeps,
): Promise<{ replyId: number; questionId: number; state: ReplyState }> {
  authorize(actor, 'questions:answer');
  const checked = checkPlainText(text, REPLY_MAX_CHARS);
  if (!checked.ok) throw textError('reply', checked.problem);
  const { db, dialect } = deps.database;
  const kase = await requireCase(db, caseRef);
  return db.transaction().execute(async (tx) => {
    const question = await questions.findCaseQuestion(tx, kase.id, questionId);
    if (!question) throw new NotFoundError(`no question ${questionId} in case ${kase.reference}`);
    if (question.state === 'closed') {
      throw new ConflictError(`question ${questionId} is closed; it takes no reply`);
    }
    const recipient = await tx
      .selectFrom('case_recipients')
      .select(['email'])
      .where('id', '=', Number(question.recipient_id))
      .executeTakeFirstOrThrow();
    if (!recipient.email) {
      throw new ValidationError('the customer has no email address', [
        { field: 'reply', message: 'the customer has no email address to send the reply to' },
      ]);
    }
    const now = nowIso();
    const replyId = await questions.insertReply(tx, {
      question_id: questionId,
      case_id: kase.id,
      recipient_id: Number(question.recipient_id),
      body: checked.text,
      author: actor.name,
      email: recipient.email,
      language: question.language,
      state: 'queued',
      attempts: 0,
      next_attempt_at: now,
      message_id: `question-reply-${randomUUID()}@${deps.messageIdDomain}`,
      created_at: now,
      updated_at: now,
    });
    await questions.markQuestionAnswered(tx, questionId, actor.name, now);
    await appendAudit(tx, dialect, actor, {
      action: 'question.reply',
      objectType: 'question',
      objectId: questionId,
      details: { caseId: kase.id, replyId, characters: [...checked.text].length },
    });
    return { replyId, questionId, state: 'queued' as const };
  });
}

/** Closes an open question without a reply; the reason stays with the case. */
export async function closeQuestion(
  actor: Actor,
  caseRef: string | number,
  questionId: number,
  reason: string,
  deps: { database: Database },
): Promise<void> {
  authorize(actor, 'questions:answer');
  const checked = checkPlainText(reason, CLOSE_REASON_MAX_CHARS);
  if (!checked.ok) throw textError('reason', checked.problem);
  const { db, dialect } = deps.database;
  const kase = await requireCase(db, caseRef);
  await db.transaction().execute(async (tx) => {
    const question = await questions.findCaseQuestion(tx, kase.id, questionId);
    if (!question) throw new NotFoundError(`no question ${questionId} in case ${kase.reference}`);
    const closed = await questions.markQuestionClosed(
      tx,
      questionId,
      actor.name,
      nowIso(),
      checked.text,
    );
    if (!closed) throw new ConflictError(`question ${questionId} is ${question.state}, not open`);
    await appendAudit(tx, dialect, actor, {
      action: 'question.close',
      objectType: 'question',
      objectId: questionId,
      details: { caseId: kase.id, reason: checked.text },
    });
  });
}

/** A refused reply or reason: the API's message names the field; views localise `problem`. */
export class TextRefusal extends ValidationError {
  constructor(
    readonly field: string,
    readonly problem: TextProblem,
  ) {
    const message =
      problem.kind === 'empty'
        ? `${field}: empty`
        : problem.kind === 'too-long'
          ? `${field}: ${problem.length} characters, at most ${problem.max}`
          : `${field}: control character ${problem.code} at position ${problem.position}`;
    super(message, [{ field, message }]);
  }
}

function textError(field: string, problem: TextProblem): TextRefusal {
  return new TextRefusal(field, problem);
}

function pageLanguage(language: string, fallback: Language): Language {
  return (LANGUAGES as readonly string[]).includes(language) ? (language as Language) : fallback;
}
