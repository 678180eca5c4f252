import type { ExpressionBuilder, Insertable, Updateable } from 'kysely';
import type { SubscriberState } from '../domain/publication.js';
import type { DB } from './schema.js';
import type { Executor } from './executor.js';
import type { SubscriberRow, SubscribersTable } from './schema-csaf.js';

/** A subscriber by (lower-cased) address. */
export async function findSubscriberByEmail(
  db: Executor,
  email: string,
): Promise<SubscriberRow | undefined> {
  return db.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirst();
}

/** A subscriber by id. */
export async function findSubscriberById(
  db: Executor,
  id: number,
): Promise<SubscriberRow | undefined> {
  return db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A subscriber by the hash of a confirmation token. */
export async function findSubscriberByConfirmHash(
  db: Executor,
  hash: string,
): Promise<SubscriberRow | undefined> {
  return db
    .selectFrom('subscribers')
    .selectAll()
    .where('confirm_token_hash', '=', hash)
    .executeTakeFirst();
}

/** A subscriber by the hash of an unsubscribe token. */
export async function findSubscriberByUnsubscribeHash(
  db: Executor,
  hash: string,
): Promise<SubscriberRow | undefined> {
  return db
    .selectFrom('subscribers')
    .selectAll()
    .where('unsubscribe_token_hash', '=', hash)
    .executeTakeFirst();
}

/** Inserts a subscriber and returns its id. */
export async function insertSubscriber(
  db: Executor,
  row: Insertable<SubscribersTable>,
): Promise<number> {
  const { id } = await db
    .insertInto('subscribers')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

/** Updates a subscriber. */
export async function updateSubscriber(
  db: Executor,
  id: number,
  row: Updateable<SubscribersTable>,
): Promise<void> {
  await db.updateTable('subscribers').set(row).where('id', '=', id).execute();
}

/** Subscribers for the admin list, newest first, optionally of one state. */
export async function listSubscribers(
  db: Executor,
  filter: { state?: SubscriberState; limit: number; offset: number },
): Promise<SubscriberRow[]> {
  let q = db.selectFrom('subscribers').selectAll();
  if (filter.state) q = q.where('state', '=', filter.state);
  return q.orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute();
}

/** How many subscribers are in each state. */
export async function countSubscribersByState(db: Executor): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('subscribers')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/**
 * Claims due subscriber mails in one conditional update (see claimWebhookDeliveries): the due
 * condition is checked again by the update itself, so a row another process claimed in
 * between is skipped.
 */
export async function claimSubscriberMails(
  db: Executor,
  worker: string,
  now: string,
  staleBefore: string,
  limit: number,
) {
  const due = (eb: ExpressionBuilder<DB, 'subscriber_mails'>) =>
    eb.or([
      eb.and([eb('state', '=', 'queued'), eb('next_attempt_at', '<=', now)]),
      eb.and([eb('state', '=', 'sending'), eb('updated_at', '<', staleBefore)]),
    ]);
  const candidates = await db
    .selectFrom('subscriber_mails')
    .select('id')
    .where(due)
    .orderBy('id')
    .limit(limit)
    .execute();
  if (candidates.length === 0) return [];
  const rows = await db
    .updateTable('subscriber_mails')
    .set({ state: 'sending', claimed_by: worker, updated_at: now })
    .where(
      'id',
      'in',
      candidates.map((c) => c.id),
    )
    .where(due)
    .returningAll()
    .execute();
  return rows
    .map((row) => ({
      id: Number(row.id),
      eventId: Number(row.event_id),
      subscriberId: Number(row.subscriber_id),
      attempts: Number(row.attempts),
    }))
    .sort((a, b) => a.id - b.id);
}

/** Records the outcome of sending one subscriber mail. */
export async function recordSubscriberMail(
  db: Executor,
  id: number,
  outcome: {
    state: 'sent' | 'queued' | 'failed';
    attempts: number;
    nextAttemptAt: string;
    response: string | null;
    now: string;
  },
): Promise<void> {
  await db
    .updateTable('subscriber_mails')
    .set({
      state: outcome.state,
      attempts: outcome.attempts,
      next_attempt_at: outcome.nextAttemptAt,
      smtp_response: outcome.response,
      sent_at: outcome.state === 'sent' ? outcome.now : null,
      claimed_by: null,
      updated_at: outcome.now,
    })
    .where('id', '=', id)
    .execute();
}

/** Mails of one event by state (tests and the admin view). */
export async function countSubscriberMails(
  db: Executor,
  eventId?: number,
): Promise<Record<string, number>> {
  let q = db
    .selectFrom('subscriber_mails')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')]);
  if (eventId !== undefined) q = q.where('event_id', '=', eventId);
  const rows = await q.groupBy('state').execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/** Claims subscribers whose confirmation mail is due (clears the due mark, conditionally). */
export async function claimConfirmationMails(
  db: Executor,
  now: string,
  limit: number,
): Promise<SubscriberRow[]> {
  const due = await db
    .selectFrom('subscribers')
    .select(['id', 'confirm_mail_due_at'])
    .where('confirm_mail_due_at', '<=', now)
    .where('state', '=', 'pending')
    .orderBy('confirm_mail_due_at')
    .limit(limit)
    .execute();
  const claimed: SubscriberRow[] = [];
  for (const d of due) {
    const result = await db
      .updateTable('subscribers')
      .set({ confirm_mail_due_at: null })
      .where('id', '=', d.id)
      .where('confirm_mail_due_at', '=', d.confirm_mail_due_at)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) continue;
    const row = await findSubscriberById(db, Number(d.id));
    if (row) claimed.push(row);
  }
  return claimed;
}
