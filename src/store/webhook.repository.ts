import type { ExpressionBuilder, Insertable } from 'kysely';
import type { DB } from './schema.js';
import type { Executor } from './executor.js';
import type {
  WebhookDeliveriesTable,
  WebhookDeliveryRow,
  WebhookRow,
  WebhooksTable,
} from './schema-csaf.js';

/** Inserts a webhook and returns its id. */
export async function insertWebhook(db: Executor, row: Insertable<WebhooksTable>): Promise<number> {
  const { id } = await db
    .insertInto('webhooks')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

/** One webhook. */
export async function findWebhook(db: Executor, id: number): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** All webhooks, newest first. */
export async function listWebhooks(db: Executor): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().orderBy('id', 'desc').execute();
}

/** Active webhooks. */
export async function listActiveWebhooks(db: Executor): Promise<WebhookRow[]> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .execute();
}

/** Disables a webhook (its delivery log stays). */
export async function disableWebhook(db: Executor, id: number, now: string): Promise<void> {
  await db.updateTable('webhooks').set({ disabled_at: now }).where('id', '=', id).execute();
  await db
    .updateTable('webhook_deliveries')
    .set({ state: 'failed', last_error: 'webhook disabled', updated_at: now })
    .where('webhook_id', '=', id)
    .where('state', '=', 'queued')
    .execute();
}

/** Queues a delivery unless this webhook already has one for the event. */
export async function insertWebhookDelivery(
  db: Executor,
  row: Insertable<WebhookDeliveriesTable>,
): Promise<void> {
  await db
    .insertInto('webhook_deliveries')
    .values(row)
    .onConflict((oc) => oc.columns(['webhook_id', 'source', 'event_id']).doNothing())
    .execute();
}

/**
 * Claims due deliveries for one sender: one conditional update, so two processes
 * never send the same attempt. A claim older than `staleBefore` (a crashed sender) is
 * taken over.
 */
export async function claimWebhookDeliveries(
  db: Executor,
  worker: string,
  now: string,
  staleBefore: string,
  limit: number,
): Promise<WebhookDeliveryRow[]> {
  const due = (eb: ExpressionBuilder<DB, 'webhook_deliveries'>) =>
    eb.or([
      eb.and([eb('state', '=', 'queued'), eb('next_attempt_at', '<=', now)]),
      eb.and([eb('state', '=', 'sending'), eb('updated_at', '<', staleBefore)]),
    ]);
  const candidates = await db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where(due)
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
  if (candidates.length === 0) return [];
  // One update re-checks the due condition per row: a row another process claimed in
  // between no longer matches and is skipped.
  const rows = await db
    .updateTable('webhook_deliveries')
    .set({ state: 'sending', claimed_by: worker, updated_at: now })
    .where(
      'id',
      'in',
      candidates.map((c) => c.id),
    )
    .where(due)
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.next_attempt_at.localeCompare(b.next_attempt_at));
}

/** Records an attempt's outcome. */
export async function recordWebhookAttempt(
  db: Executor,
  id: number,
  outcome: {
    state: 'delivered' | 'queued' | 'failed';
    attempts: number;
    nextAttemptAt: string;
    status: number | null;
    error: string | null;
    now: string;
  },
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({
      state: outcome.state,
      attempts: outcome.attempts,
      next_attempt_at: outcome.nextAttemptAt,
      last_status: outcome.status,
      last_error: outcome.error,
      delivered_at: outcome.state === 'delivered' ? outcome.now : null,
      claimed_by: null,
      updated_at: outcome.now,
    })
    .where('id', '=', id)
    .execute();
}

/** The delivery log of a webhook, newest first. */
export async function listWebhookDeliveries(
  db: Executor,
  webhookId: number,
  limit: number,
): Promise<WebhookDeliveryRow[]> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
