import { z } from 'zod';
import { WebhookTargetError, checkWebhookUrl } from '../../channels/webhooks/webhook-sender.js';
import { authorize, type Actor } from '../../domain/access.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { PUBLICATION_EVENT_KINDS, webhookDeliveryStateSchema } from '../../domain/publication.js';
import { RECALL_EVENT_KINDS } from '../../domain/recall-event.js';
import type { Database } from '../../store/database.js';
import { nowIso, readJson, stringListJson } from '../../store/executor.js';
import type { WebhookDeliveryRow, WebhookRow } from '../../store/schema-csaf.js';
import * as repo from '../../store/webhook.repository.js';
import { appendAudit } from '../access/audit.service.js';
import { encryptWebhookSecret, generateWebhookSecret } from '../../lib/webhook-secret.js';

/** Webhooks for integrators: a signed POST for every public change they asked for. */

type Deps = { database: Database; secret: Buffer; allowHosts: readonly string[] };

export const newWebhookSchema = z.object({
  url: z.string().trim().max(2000),
  // Recall events name a customer (by external id), so a webhook gets them only when asked.
  events: z
    .array(z.enum([...PUBLICATION_EVENT_KINDS, ...RECALL_EVENT_KINDS]))
    .min(1)
    .default([...PUBLICATION_EVENT_KINDS]),
  description: z.string().trim().max(200).default(''),
});
export type NewWebhook = z.input<typeof newWebhookSchema>;

export const webhookViewSchema = z.object({
  id: z.number().int(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
});
export type WebhookView = z.infer<typeof webhookViewSchema>;

export const webhookDeliveryViewSchema = z.object({
  id: z.number().int(),
  eventId: z.number().int(),
  state: webhookDeliveryStateSchema,
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});

/** Registers a webhook; the signing secret is in the answer once and never again. */
export async function registerWebhook(
  actor: Actor,
  input: NewWebhook,
  deps: Deps,
): Promise<{ webhook: WebhookView; secret: string }> {
  authorize(actor, 'webhooks:manage');
  const data = newWebhookSchema.parse(input);
  try {
    checkWebhookUrl(data.url, deps.allowHosts);
  } catch (error) {
    if (error instanceof WebhookTargetError) {
      throw new ValidationError('invalid webhook target', [
        { field: 'url', message: error.message },
      ]);
    }
    throw error;
  }
  const secret = generateWebhookSecret();
  const { db, dialect } = deps.database;
  const webhook = await db.transaction().execute(async (tx) => {
    const now = nowIso();
    const id = await repo.insertWebhook(tx, {
      url: data.url,
      secret_enc: encryptWebhookSecret(deps.secret, secret),
      events: JSON.stringify([...new Set(data.events)]),
      description: data.description,
      created_by: actor.name,
      created_at: now,
      disabled_at: null,
    });
    await appendAudit(tx, dialect, actor, {
      action: 'webhook.register',
      objectType: 'webhook',
      objectId: id,
      details: { url: data.url, events: data.events },
    });
    return toView((await repo.findWebhook(tx, id))!);
  });
  return { webhook, secret };
}

/** Every webhook, newest first. */
export async function listWebhooks(
  actor: Actor,
  deps: { database: Database },
): Promise<WebhookView[]> {
  authorize(actor, 'webhooks:manage');
  return (await repo.listWebhooks(deps.database.db)).map(toView);
}

/** Disables a webhook; queued deliveries are dropped, the log stays. */
export async function disableWebhook(
  actor: Actor,
  id: number,
  deps: { database: Database },
): Promise<WebhookView> {
  authorize(actor, 'webhooks:manage');
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const row = await repo.findWebhook(tx, id);
    if (!row) throw new NotFoundError(`no webhook ${id}`);
    if (!row.disabled_at) {
      await repo.disableWebhook(tx, id, nowIso());
      await appendAudit(tx, dialect, actor, {
        action: 'webhook.disable',
        objectType: 'webhook',
        objectId: id,
      });
    }
    return toView((await repo.findWebhook(tx, id))!);
  });
}

/** The delivery log of a webhook, newest first. */
export async function listWebhookDeliveries(
  actor: Actor,
  id: number,
  limit: number,
  deps: { database: Database },
): Promise<z.infer<typeof webhookDeliveryViewSchema>[]> {
  authorize(actor, 'webhooks:manage');
  if (!(await repo.findWebhook(deps.database.db, id))) throw new NotFoundError(`no webhook ${id}`);
  return (await repo.listWebhookDeliveries(deps.database.db, id, limit)).map(toDeliveryView);
}

function toView(row: WebhookRow): WebhookView {
  return {
    id: Number(row.id),
    url: row.url,
    events: readJson(row.events, stringListJson),
    description: row.description,
    createdBy: row.created_by,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

function toDeliveryView(row: WebhookDeliveryRow): z.infer<typeof webhookDeliveryViewSchema> {
  return {
    id: Number(row.id),
    eventId: Number(row.event_id),
    state: row.state,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
}
