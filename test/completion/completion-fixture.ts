/**
 * Writes remedies, confirmations and delivery outcomes straight into the tables for the
 * completion tests, with the events a confirmation service writes (confirm/withdraw, and
 * completed/reopened when the remedy's rule is met or lost), so the curve can be checked
 * against hand-counted numbers. The remedies service is built separately; this keeps the
 * completion tests independent of it.
 */
import {
  completedAt,
  isCompleted,
  type CompletionSource,
  type RemedyCompletion,
} from '../../src/domain/remedies/remedy.js';
import type { Executor } from '../../src/store/executor.js';

export interface FixtureRemedy {
  id: number;
  completion: RemedyCompletion;
}

export async function addRemedy(
  db: Executor,
  caseId: number,
  key: string,
  completion: RemedyCompletion,
  titles: { nl: string; en: string },
  options: { position?: number; retiredAt?: string } = {},
): Promise<FixtureRemedy> {
  const at = '2026-10-20T08:00:00.000Z';
  const row = await db
    .insertInto('remedies')
    .values({
      case_id: caseId,
      key,
      position: options.position ?? 1,
      completion,
      created_by: 'test',
      created_at: at,
      updated_at: at,
      retired_at: options.retiredAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  for (const language of ['nl', 'en'] as const) {
    await db
      .insertInto('remedy_texts')
      .values({
        remedy_id: id,
        language,
        title: titles[language],
        instructions: `${titles[language]}.`,
        updated_by: 'test',
        updated_at: at,
      })
      .execute();
  }
  return { id, completion };
}

async function change(
  db: Executor,
  remedy: FixtureRemedy,
  recipientId: number,
  source: CompletionSource,
  at: string,
  confirm: boolean,
): Promise<void> {
  const existing = await db
    .selectFrom('remedy_completions')
    .selectAll()
    .where('remedy_id', '=', remedy.id)
    .where('recipient_id', '=', recipientId)
    .executeTakeFirst();
  const before = {
    customerConfirmedAt: existing?.customer_confirmed_at ?? null,
    providerConfirmedAt: existing?.provider_confirmed_at ?? null,
  };
  const after = { ...before };
  if (source === 'customer') after.customerConfirmedAt = confirm ? at : null;
  else after.providerConfirmedAt = confirm ? at : null;
  const values = {
    customer_confirmed_at: after.customerConfirmedAt,
    provider_confirmed_at: after.providerConfirmedAt,
    completed_at: completedAt(remedy.completion, after),
    updated_at: at,
  };
  if (existing) {
    await db
      .updateTable('remedy_completions')
      .set(values)
      .where('remedy_id', '=', remedy.id)
      .where('recipient_id', '=', recipientId)
      .execute();
  } else {
    await db
      .insertInto('remedy_completions')
      .values({ remedy_id: remedy.id, recipient_id: recipientId, ...values })
      .execute();
  }
  const event = { remedy_id: remedy.id, recipient_id: recipientId, source, at, actor: 'test' };
  await db
    .insertInto('remedy_completion_events')
    .values({ ...event, action: confirm ? 'confirm' : 'withdraw' })
    .execute();
  const was = isCompleted(remedy.completion, before);
  const is = isCompleted(remedy.completion, after);
  if (!was && is) {
    await db
      .insertInto('remedy_completion_events')
      .values({ ...event, action: 'completed' })
      .execute();
  }
  if (was && !is) {
    await db
      .insertInto('remedy_completion_events')
      .values({ ...event, action: 'reopened' })
      .execute();
  }
}

export const confirm = (
  db: Executor,
  remedy: FixtureRemedy,
  recipientId: number,
  source: CompletionSource,
  at: string,
) => change(db, remedy, recipientId, source, at, true);

export const withdraw = (
  db: Executor,
  remedy: FixtureRemedy,
  recipientId: number,
  source: CompletionSource,
  at: string,
) => change(db, remedy, recipientId, source, at, false);

/** Moves a recipient's email delivery of the dispatch to a final state. */
export async function settleMail(
  db: Executor,
  dispatchId: number,
  recipientId: number,
  state: 'sent' | 'bounced' | 'failed',
  at: string,
): Promise<void> {
  const result = await db
    .updateTable('deliveries')
    .set({ state, sent_at: state === 'sent' ? at : null, updated_at: at })
    .where('dispatch_id', '=', dispatchId)
    .where('recipient_id', '=', recipientId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new Error(`no delivery for ${recipientId}`);
}

/** A posted letter for a recipient (sent_at is when it went to the post). */
export async function postLetter(
  db: Executor,
  dispatchId: number,
  recipientId: number,
  at: string,
): Promise<void> {
  await db
    .insertInto('deliveries')
    .values({
      dispatch_id: dispatchId,
      recipient_id: recipientId,
      channel: 'letter',
      email: '',
      state: 'posted',
      attempts: 1,
      next_attempt_at: at,
      message_id: `letter:${dispatchId}:${recipientId}`,
      sent_at: at,
      updated_at: at,
    })
    .execute();
}

export async function acknowledge(db: Executor, recipientId: number, at: string): Promise<void> {
  await db
    .updateTable('case_recipients')
    .set({ acknowledged_at: at })
    .where('id', '=', recipientId)
    .execute();
}
