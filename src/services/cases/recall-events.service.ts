import type { RecallEventKind } from '../../domain/recall-event.js';
import type { Database } from '../../store/database.js';
import type { Executor } from '../../store/executor.js';
import { nowIso, readJson, jsonObject, stringListJson } from '../../store/executor.js';
import {
  insertRecallEvent,
  lockPendingRecallEvents,
  markRecallEventsFannedOut,
  recallEventContext,
} from '../../store/recall-event.repository.js';
import * as webhooks from '../../store/webhook.repository.js';

/**
 * Recall events (a delivery bounced, a notice acknowledged, a remedy completed, a question
 * received) become webhook deliveries. They are written in the transaction of the change itself
 * and fanned out later by the outbox loop, so a webhook never announces a change that was rolled
 * back and never misses one that committed.
 */

export interface RecallEventInput {
  kind: RecallEventKind;
  caseId: number;
  recipientId: number | null;
  /** Kind-specific fields; never personal data beyond the customer's external id. */
  data?: Record<string, unknown>;
  at?: string;
}

/** Records an event in the caller's transaction. */
export async function recordRecallEvent(tx: Executor, event: RecallEventInput): Promise<void> {
  await insertRecallEvent(tx, {
    kind: event.kind,
    case_id: event.caseId,
    recipient_id: event.recipientId,
    data: JSON.stringify(event.data ?? {}),
    at: event.at ?? nowIso(),
  });
}

/** Turns pending recall events into webhook deliveries; returns how many were handled. */
export async function fanOutRecallEvents(database: Database, limit = 500): Promise<number> {
  const { db, dialect } = database;
  return db.transaction().execute(async (tx) => {
    const events = await lockPendingRecallEvents(tx, dialect, limit);
    if (events.length === 0) return 0;
    const now = nowIso();
    const active = await webhooks.listActiveWebhooks(tx);
    const interestedIn = (kind: string) =>
      active.filter((w) => readJson(w.events, stringListJson).includes(kind));
    if (events.some((e) => interestedIn(e.kind).length > 0)) {
      const context = await recallEventContext(tx, events);
      for (const event of events) {
        const interested = interestedIn(event.kind);
        if (interested.length === 0) continue;
        const ctx = context.get(Number(event.id));
        const payload = JSON.stringify({
          id: `evt_recall_${event.id}`,
          type: event.kind,
          createdAt: new Date(event.at).toISOString(),
          data: {
            case: ctx?.reference ?? null,
            externalId: ctx?.externalId ?? null,
            ...readJson(event.data, jsonObject),
          },
        });
        for (const w of interested) {
          await webhooks.insertWebhookDelivery(tx, {
            webhook_id: Number(w.id),
            source: 'recall',
            event_id: Number(event.id),
            payload,
            state: 'queued',
            attempts: 0,
            next_attempt_at: now,
            claimed_by: null,
            last_status: null,
            last_error: null,
            delivered_at: null,
            created_at: now,
            updated_at: now,
          });
        }
      }
    }
    await markRecallEventsFannedOut(
      tx,
      events.map((e) => Number(e.id)),
      now,
    );
    return events.length;
  });
}
