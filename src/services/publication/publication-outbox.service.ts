import type { EmailTransport } from '../../channels/email/email-transport.js';
import { sendWebhook } from '../../channels/webhooks/webhook-sender.js';
import { csafDocumentPath } from '../../domain/csaf/csaf-document.js';
import type { PublicationEvent, PublishedCase } from '../../domain/publication.js';
import { SIGNATURE_HEADER, signWebhook, webhookBackoffMs } from '../../domain/webhook-signature.js';
import type { Database } from '../../store/database.js';
import { nowIso, readJson, stringListJson } from '../../store/executor.js';
import * as subscribers from '../../store/subscriber.repository.js';
import {
  advanceOutboxCursor,
  lockOutboxCursor,
  queueSubscriberMails,
} from '../../store/subscriber-outbox.repository.js';
import * as webhooks from '../../store/webhook.repository.js';
import { getPublishedCase, listPublicationEventsAfter } from './publication.service.js';
import { fanOutRecallEvents } from '../cases/recall-events.service.js';
import { getOrganisation } from '../access/settings.service.js';
import { confirmationMail, updateMail } from './subscriber-mail.js';
import { confirmToken, unsubscribeToken } from './subscriber.service.js';
import { decryptWebhookSecret } from '../../lib/webhook-secret.js';

/**
 * The consumer of the publication outbox (publication_events). The fan-out turns each event
 * into one queued mail per confirmed subscriber and one queued delivery per interested
 * webhook, in the transaction that moves the cursor on; the unique (event, recipient) pairs
 * make a repeat harmless. The senders then claim due rows with conditional updates, so any
 * number of processes can run this loop and each mail or delivery attempt happens once.
 */

export interface OutboxDeps {
  database: Database;
  secret: Buffer;
  publicUrl: string;
  messageIdDomain: string;
  allowHosts: readonly string[];
  transport: EmailTransport | null;
  /** Webhook attempts before a delivery is given up (default 8). */
  webhookMaxAttempts?: number;
  webhookBaseDelayMs?: number;
  webhookTimeoutMs?: number;
}

const FANOUT = 'publication-fanout';
const MAIL_MAX_ATTEMPTS = 8;
/** A claim this old belongs to a sender that died: someone else may take it over. */
const STALE_CLAIM_MS = 5 * 60_000;

/** Fans out the next events; returns how many were handled. */
export async function fanOutPublicationEvents(deps: OutboxDeps, limit = 100): Promise<number> {
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const now = nowIso();
    const cursor = await lockOutboxCursor(tx, dialect, FANOUT, now);
    const events = await listPublicationEventsAfter(tx, cursor, limit);
    if (events.length === 0) return 0;
    const active = await webhooks.listActiveWebhooks(tx);
    const snapshots = new Map<string, PublishedCase | undefined>();
    for (const event of events) {
      await queueSubscriberMails(tx, event.id, now);
      const interested = active.filter((w) =>
        readJson(w.events, stringListJson).includes(event.kind),
      );
      if (interested.length === 0) continue;
      if (!snapshots.has(event.reference))
        snapshots.set(event.reference, await getPublishedCase(tx, event.reference));
      const payload = JSON.stringify(
        webhookPayload(event, snapshots.get(event.reference), deps.publicUrl),
      );
      for (const w of interested) {
        await webhooks.insertWebhookDelivery(tx, {
          webhook_id: Number(w.id),
          event_id: event.id,
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
    await advanceOutboxCursor(tx, FANOUT, events.at(-1)!.id, now);
    return events.length;
  });
}

/**
 * The JSON body of a webhook delivery. It is built from the embargo-free snapshot at
 * fan-out time, so it can never carry held-back detail.
 */
export function webhookPayload(
  event: PublicationEvent,
  published: PublishedCase | undefined,
  publicUrl: string,
) {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    id: `evt_${event.id}`,
    type: `case.${event.kind}`,
    createdAt: event.at,
    data: {
      reference: event.reference,
      revision: event.revision,
      ...(published
        ? {
            kind: published.kind,
            state: published.state,
            titles: Object.fromEntries(
              Object.entries(published.texts).map(([l, t]) => [l, t.title]),
            ),
            summaries: Object.fromEntries(
              Object.entries(published.texts).map(([l, t]) => [l, t.summary]),
            ),
            url: `${base}${published.paths.page}`,
            urlEn: `${base}${published.paths.pageEn}`,
            csafUrl: `${base}/.well-known/csaf/${csafDocumentPath(published.reference, published.publishedAt)}`,
            publishedAt: published.publishedAt,
            updatedAt: published.updatedAt,
          }
        : {}),
    },
  };
}

/** Sends due confirmation and update mails; returns how many were handed to the relay. */
export async function sendDueSubscriberMails(
  deps: OutboxDeps,
  worker: string,
  limit = 50,
): Promise<number> {
  const transport = deps.transport;
  if (!transport) return 0;
  const db = deps.database.db;
  const organisation = await getOrganisation(deps);
  const mailContext = {
    organisation,
    publicUrl: deps.publicUrl.replace(/\/+$/, ''),
    messageIdDomain: deps.messageIdDomain,
  };
  let sent = 0;

  for (const s of await subscribers.claimConfirmationMails(db, nowIso(), limit)) {
    const outcome = await transport.send(
      confirmationMail(
        mailContext,
        { id: Number(s.id), email: s.email, language: s.language },
        confirmToken(deps.secret, s),
      ),
    );
    if (outcome.kind === 'accepted') sent++;
    else if (outcome.kind === 'transient') {
      await subscribers.updateSubscriber(db, Number(s.id), {
        confirm_mail_due_at: new Date(Date.now() + 60_000).toISOString(),
      });
    }
  }

  const now = nowIso();
  const claimed = await subscribers.claimSubscriberMails(
    db,
    worker,
    now,
    new Date(Date.now() - STALE_CLAIM_MS).toISOString(),
    limit,
  );
  const snapshots = new Map<string, PublishedCase | undefined>();
  for (const mail of claimed) {
    const subscriber = await subscribers.findSubscriberById(db, mail.subscriberId);
    const [event] = await listPublicationEventsAfter(db, mail.eventId - 1, 1);
    const record = (
      state: 'sent' | 'queued' | 'failed',
      response: string,
      attempts = mail.attempts + 1,
      delayMs = 0,
    ) =>
      subscribers.recordSubscriberMail(db, mail.id, {
        state,
        attempts,
        nextAttemptAt: new Date(Date.now() + delayMs).toISOString(),
        response,
        now: nowIso(),
      });
    if (!subscriber || subscriber.state !== 'confirmed' || !event || event.id !== mail.eventId) {
      await record('failed', 'no longer subscribed', mail.attempts);
      continue;
    }
    if (!snapshots.has(event.reference))
      snapshots.set(event.reference, await getPublishedCase(db, event.reference));
    const message = updateMail(
      mailContext,
      { id: Number(subscriber.id), email: subscriber.email, language: subscriber.language },
      event,
      snapshots.get(event.reference),
      unsubscribeToken(deps.secret, Number(subscriber.id)),
    );
    const outcome = await transport.send(message);
    if (outcome.kind === 'accepted') {
      sent++;
      await record('sent', outcome.response);
    } else if (outcome.kind === 'rejected' && outcome.code >= 500) {
      await record('failed', outcome.response);
    } else {
      const attempts = mail.attempts + 1;
      const reason = outcome.kind === 'transient' ? outcome.reason : outcome.response;
      await record(
        attempts >= MAIL_MAX_ATTEMPTS ? 'failed' : 'queued',
        reason,
        attempts,
        webhookBackoffMs(attempts, 60_000),
      );
    }
  }
  return sent;
}

/** Sends due webhook deliveries; returns how many were delivered. */
export async function sendDueWebhooks(
  deps: OutboxDeps,
  worker: string,
  limit = 20,
): Promise<number> {
  const db = deps.database.db;
  const maxAttempts = deps.webhookMaxAttempts ?? 8;
  const claimed = await webhooks.claimWebhookDeliveries(
    db,
    worker,
    nowIso(),
    new Date(Date.now() - STALE_CLAIM_MS).toISOString(),
    limit,
  );
  let delivered = 0;
  await Promise.all(
    claimed.map(async (d) => {
      const hook = await webhooks.findWebhook(db, Number(d.webhook_id));
      const attempts = Number(d.attempts) + 1;
      const finish = (
        state: 'delivered' | 'queued' | 'failed',
        status: number | null,
        error: string | null,
      ) =>
        webhooks.recordWebhookAttempt(db, Number(d.id), {
          state,
          attempts,
          nextAttemptAt:
            state === 'queued'
              ? new Date(
                  Date.now() + webhookBackoffMs(attempts, deps.webhookBaseDelayMs),
                ).toISOString()
              : d.next_attempt_at,
          status,
          error,
          now: nowIso(),
        });
      if (!hook || hook.disabled_at) return finish('failed', null, 'webhook disabled');
      const secret = decryptWebhookSecret(deps.secret, hook.secret_enc);
      const type = (JSON.parse(d.payload) as { type: string }).type;
      const outcome = await sendWebhook(
        {
          url: hook.url,
          body: d.payload,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Candor-Webhooks/1',
            'candor-event': type,
            'candor-delivery': String(d.id),
            [SIGNATURE_HEADER]: signWebhook(secret, d.payload, Math.floor(Date.now() / 1000)),
          },
        },
        { allowHosts: deps.allowHosts, timeoutMs: deps.webhookTimeoutMs },
      );
      if (outcome.kind === 'delivered') {
        delivered++;
        return finish('delivered', outcome.status, null);
      }
      return finish(attempts >= maxAttempts ? 'failed' : 'queued', outcome.status, outcome.error);
    }),
  );
  return delivered;
}

/**
 * One round of the publication outbox (a job of `serve` / `demo`, src/jobs/): fan out
 * publication and recall events, then send the due subscriber mails and webhooks that
 * `holder` claims. Any number of processes run rounds side by side.
 */
export async function runPublicationOutboxRound(deps: OutboxDeps, holder: string): Promise<void> {
  while ((await fanOutPublicationEvents(deps)) > 0) {
    /* drain the outbox */
  }
  while ((await fanOutRecallEvents(deps.database)) > 0) {
    /* drain the recall events */
  }
  await sendDueSubscriberMails(deps, holder);
  await sendDueWebhooks(deps, holder);
}
