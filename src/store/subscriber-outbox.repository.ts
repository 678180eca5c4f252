import { sql } from 'kysely';
import type { Dialect } from './database.js';
import type { Executor } from './executor.js';

// The cursor of the publication outbox's fan-out (subscriber mails and webhook deliveries).
// It lives with the subscriber tables because the fan-out is one consumer for both.

/**
 * Locks the consumer's cursor row for the rest of the transaction and returns it: a second
 * process running the fan-out waits here, then sees the advanced cursor. SQLite needs no
 * row lock (its transactions take the write lock up front).
 */
export async function lockOutboxCursor(
  db: Executor,
  dialect: Dialect,
  consumer: string,
  now: string,
): Promise<number> {
  await db
    .insertInto('outbox_cursors')
    .values({ consumer, last_event_id: 0, updated_at: now })
    .onConflict((oc) => oc.column('consumer').doNothing())
    .execute();
  let q = db.selectFrom('outbox_cursors').select('last_event_id').where('consumer', '=', consumer);
  if (dialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.last_event_id);
}

/** Moves the cursor on. */
export async function advanceOutboxCursor(
  db: Executor,
  consumer: string,
  lastEventId: number,
  now: string,
): Promise<void> {
  await db
    .updateTable('outbox_cursors')
    .set({ last_event_id: lastEventId, updated_at: now })
    .where('consumer', '=', consumer)
    .execute();
}

/** Queues one mail per confirmed subscriber for an event (the unique pair skips repeats). */
export async function queueSubscriberMails(
  db: Executor,
  eventId: number,
  now: string,
): Promise<number> {
  const result = await sql<{ n: number }>`
    insert into subscriber_mails (event_id, subscriber_id, state, attempts, next_attempt_at, updated_at)
    select ${eventId}, id, 'queued', 0, ${now}, ${now} from subscribers where state = 'confirmed'
    on conflict (event_id, subscriber_id) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
