import { createHmac, randomBytes } from 'node:crypto';
import type { Updateable } from 'kysely';
import { z } from 'zod';
import { authorize, type Actor } from '../../domain/access.js';
import { NotFoundError } from '../../domain/errors.js';
import { subscriberStateSchema, type SubscriberState } from '../../domain/publication.js';
import type { Database } from '../../store/database.js';
import { nowIso } from '../../store/executor.js';
import * as repo from '../../store/subscriber.repository.js';
import type { SubscriberRow, SubscribersTable } from '../../store/schema-csaf.js';
import { appendAudit } from '../access/audit.service.js';
import { hashToken } from '../../lib/secrets.js';

/**
 * Email subscriptions to security updates: double opt-in, one-click unsubscribe. Public
 * actions answer the same whatever the address's state, so nobody learns who subscribed.
 * Confirmation and update mails are sent by the publication outbox loop, not in the request.
 */

type Deps = { database: Database; secret: Buffer };

export const SUBSCRIBER_LANGUAGES = ['nl', 'en'] as const;
export const subscribeInputSchema = z.object({
  email: z.email('must be an email address').trim().toLowerCase().max(254),
  language: z.enum(SUBSCRIBER_LANGUAGES).default('nl'),
});
export type SubscribeInput = z.input<typeof subscribeInputSchema>;

export const subscriberViewSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  language: z.string(),
  state: subscriberStateSchema,
  createdAt: z.string(),
  confirmedAt: z.string().nullable(),
  unsubscribedAt: z.string().nullable(),
});
export type SubscriberView = z.infer<typeof subscriberViewSchema>;

/** A confirmation link works this long. */
export const CONFIRM_TTL_MS = 48 * 3_600_000;
/** A second request for the same address within this time sends no second mail. */
export const RESEND_AFTER_MS = 10 * 60_000;

/** The actor of public (anonymous) subscription actions, for the audit trail. */
function publicActor(source: string): Actor {
  return { kind: 'system', userId: null, name: 'public:subscriber', roles: [], source };
}

/** The confirmation token of a pending subscriber (derived, never stored). */
export function confirmToken(
  secret: Buffer,
  subscriber: Pick<SubscriberRow, 'id' | 'confirm_nonce'>,
): string {
  return createHmac('sha256', secret)
    .update(`subscriber-confirm:${Number(subscriber.id)}:${subscriber.confirm_nonce ?? ''}`)
    .digest('base64url');
}

/** The unsubscribe token of a subscriber (derived, so every mail can carry it). */
export function unsubscribeToken(secret: Buffer, id: number): string {
  return createHmac('sha256', secret).update(`subscriber-unsubscribe:${id}`).digest('base64url');
}

/**
 * A subscription request. Confirmed addresses stay as they are; any other address becomes
 * pending with a fresh confirmation link, mailed by the outbox loop (at most once per
 * RESEND_AFTER_MS per address). Always returns nothing: the answer must not tell.
 */
export async function requestSubscription(
  input: SubscribeInput,
  source: string,
  deps: Deps,
): Promise<void> {
  const data = subscribeInputSchema.parse(input);
  const { db, dialect } = deps.database;
  await db.transaction().execute(async (tx) => {
    const now = nowIso();
    const nowMs = Date.parse(now);
    const existing = await repo.findSubscriberByEmail(tx, data.email);
    if (existing?.state === 'confirmed') return;
    if (existing && nowMs - Date.parse(existing.last_requested_at) < RESEND_AFTER_MS) return;
    const nonce = randomBytes(16).toString('base64url');
    const fields = {
      language: data.language,
      state: 'pending',
      confirm_nonce: nonce,
      confirm_expires_at: new Date(nowMs + CONFIRM_TTL_MS).toISOString(),
      confirm_mail_due_at: now,
      last_requested_at: now,
      updated_at: now,
    } satisfies Updateable<SubscribersTable>;
    let id: number;
    if (existing) {
      id = Number(existing.id);
      await repo.updateSubscriber(tx, id, fields);
    } else {
      id = await repo.insertSubscriber(tx, {
        email: data.email,
        ...fields,
        confirm_token_hash: null,
        unsubscribe_token_hash: null,
        created_at: now,
        confirmed_at: null,
        unsubscribed_at: null,
      });
    }
    const token = confirmToken(deps.secret, { id, confirm_nonce: nonce });
    await repo.updateSubscriber(tx, id, { confirm_token_hash: hashToken(token) });
    await appendAudit(tx, dialect, publicActor(source), {
      action: 'subscriber.request',
      objectType: 'subscriber',
      objectId: id,
    });
  });
}

/** Confirms by token; false when the link is unknown or expired. */
export async function confirmSubscription(
  token: string,
  source: string,
  deps: Deps,
): Promise<boolean> {
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const row = await repo.findSubscriberByConfirmHash(tx, hashToken(token));
    if (!row || row.state !== 'pending') return row?.state === 'confirmed';
    const now = nowIso();
    if (!row.confirm_expires_at || Date.parse(row.confirm_expires_at) < Date.parse(now))
      return false;
    const id = Number(row.id);
    await repo.updateSubscriber(tx, id, {
      state: 'confirmed',
      confirmed_at: now,
      unsubscribed_at: null,
      confirm_mail_due_at: null,
      confirm_expires_at: null,
      unsubscribe_token_hash: hashToken(unsubscribeToken(deps.secret, id)),
      updated_at: now,
    });
    await appendAudit(tx, dialect, publicActor(source), {
      action: 'subscriber.confirm',
      objectType: 'subscriber',
      objectId: id,
    });
    return true;
  });
}

/** One-click unsubscribe; true when the token belongs to a subscriber (repeats stay true). */
export async function unsubscribe(token: string, source: string, deps: Deps): Promise<boolean> {
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const row = await repo.findSubscriberByUnsubscribeHash(tx, hashToken(token));
    if (!row) return false;
    if (row.state === 'unsubscribed') return true;
    const now = nowIso();
    await repo.updateSubscriber(tx, Number(row.id), {
      state: 'unsubscribed',
      unsubscribed_at: now,
      confirm_nonce: null,
      confirm_token_hash: null,
      confirm_mail_due_at: null,
      updated_at: now,
    });
    await appendAudit(tx, dialect, publicActor(source), {
      action: 'subscriber.unsubscribe',
      objectType: 'subscriber',
      objectId: Number(row.id),
    });
    return true;
  });
}

/** The admin list: subscribers and counts per state. */
export async function listSubscribers(
  actor: Actor,
  filter: { state?: SubscriberState; limit: number; offset: number },
  deps: { database: Database },
): Promise<{ counts: Record<string, number>; subscribers: SubscriberView[] }> {
  authorize(actor, 'subscribers:manage');
  const db = deps.database.db;
  const [rows, counts] = await Promise.all([
    repo.listSubscribers(db, filter),
    repo.countSubscribersByState(db),
  ]);
  return { counts, subscribers: rows.map(toView) };
}

/** Unsubscribes an address on someone's behalf (e.g. a request by mail). */
export async function removeSubscriber(
  actor: Actor,
  id: number,
  deps: { database: Database },
): Promise<SubscriberView> {
  authorize(actor, 'subscribers:manage');
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const row = await repo.findSubscriberById(tx, id);
    if (!row) throw new NotFoundError(`no subscriber ${id}`);
    const now = nowIso();
    await repo.updateSubscriber(tx, id, {
      state: 'unsubscribed',
      unsubscribed_at: row.unsubscribed_at ?? now,
      confirm_nonce: null,
      confirm_token_hash: null,
      confirm_mail_due_at: null,
      updated_at: now,
    });
    await appendAudit(tx, dialect, actor, {
      action: 'subscriber.remove',
      objectType: 'subscriber',
      objectId: id,
    });
    return toView((await repo.findSubscriberById(tx, id))!);
  });
}

function toView(row: SubscriberRow): SubscriberView {
  return {
    id: Number(row.id),
    email: row.email,
    language: row.language,
    state: row.state,
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
    unsubscribedAt: row.unsubscribed_at,
  };
}
