import type { EmailTransport } from '../../channels/email/email-transport.js';
import { recipientTimeZone } from '../../domain/recipient-time.js';
import { webhookBackoffMs } from '../../domain/webhook-signature.js';
import type { Database } from '../../store/database.js';
import { nowIso, readFactsObject } from '../../store/executor.js';
import * as questions from '../../store/question.repository.js';
import { requireCase } from '../cases/case.service.js';
import { personalToken } from '../../lib/personal-token.js';
import { questionReplyMail } from './question-reply-mail.js';
import { getOrganisation } from '../access/settings.service.js';

/**
 * Sends the queued replies to customer questions. Like the subscriber and webhook senders of
 * the publication outbox: a sender claims due rows with a conditional update (so two processes
 * never send one reply twice), sends over the shared SMTP pool, and records the outcome —
 * sent with the relay's answer, retried with backoff on a temporary failure, failed on a
 * permanent refusal or after the last attempt. A claim left by a sender that died is taken
 * over after STALE_CLAIM_MS.
 */

export interface ReplySenderDeps {
  database: Database;
  secret: Buffer;
  publicUrl: string;
  transport: EmailTransport | null;
  /** The installation's zone, for recipients without one of their own. */
  timeZone?: string;
  maxAttempts?: number;
  baseDelayMs?: number;
}

const MAX_ATTEMPTS = 8;
const STALE_CLAIM_MS = 5 * 60_000;

/** Sends due replies; returns how many the relay accepted. */
export async function sendDueQuestionReplies(
  deps: ReplySenderDeps,
  worker: string,
  limit = 20,
): Promise<number> {
  const transport = deps.transport;
  if (!transport) return 0;
  const db = deps.database.db;
  const claimed = await questions.claimDueReplies(
    db,
    worker,
    nowIso(),
    new Date(Date.now() - STALE_CLAIM_MS).toISOString(),
    limit,
  );
  if (claimed.length === 0) return 0;
  const organisation = await getOrganisation(deps);
  const publicUrl = deps.publicUrl.replace(/\/+$/, '');
  const maxAttempts = deps.maxAttempts ?? MAX_ATTEMPTS;
  let sent = 0;
  for (const reply of claimed) {
    const attempts = Number(reply.attempts) + 1;
    const record = (state: 'sent' | 'queued' | 'failed', response: string, delayMs = 0) =>
      questions.recordReplyAttempt(db, Number(reply.id), worker, {
        state,
        attempts,
        nextAttemptAt: new Date(Date.now() + delayMs).toISOString(),
        response,
        now: nowIso(),
      });
    const [recipient, question] = await Promise.all([
      questions.findReplyRecipient(db, Number(reply.recipient_id)),
      questions.findCaseQuestion(db, Number(reply.case_id), Number(reply.question_id)),
    ]);
    if (!recipient || !question) {
      await record('failed', 'the question or its recipient is gone');
      continue;
    }
    const kase = await requireCase(db, Number(reply.case_id));
    const message = questionReplyMail({
      organisation,
      to: { email: reply.email, name: recipient.name },
      language: reply.language,
      caseReference: kase.reference,
      question: { body: question.body, askedAt: question.asked_at },
      reply: reply.body,
      // Derived from the secret, as in the notice: the token itself is never stored.
      personalUrl: recipient.token_revoked_at
        ? null
        : `${publicUrl}/n/${personalToken(deps.secret, Number(recipient.case_id), Number(recipient.id))}`,
      messageId: reply.message_id,
      timeZone: recipientTimeZone(
        {
          attributes: readFactsObject(recipient.attributes),
          country: recipient.country,
        },
        deps.timeZone ?? 'Europe/Amsterdam',
      ),
    });
    const outcome = await transport.send(message);
    if (outcome.kind === 'accepted') {
      sent++;
      await record('sent', outcome.response);
    } else if (outcome.kind === 'rejected' && outcome.code >= 500) {
      await record('failed', outcome.response);
    } else {
      const reason = outcome.kind === 'transient' ? outcome.reason : outcome.response;
      await record(
        attempts >= maxAttempts ? 'failed' : 'queued',
        reason,
        webhookBackoffMs(attempts, deps.baseDelayMs ?? 60_000),
      );
    }
  }
  return sent;
}

/**
 * One round of question replies (a job of `serve` / `demo`, src/jobs/): send the due replies
 * `holder` claims until none are left. Any number of processes run rounds side by side.
 */
export async function runQuestionReplyRound(deps: ReplySenderDeps, holder: string): Promise<void> {
  while ((await sendDueQuestionReplies(deps, holder)) > 0) {
    /* drain */
  }
}
