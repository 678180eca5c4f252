/**
 * A notified case for the reminder tests: customers with addresses, the first notice mailed
 * through a real worker to a real SMTP peer (one address bounces with 550, one fails on a
 * 4xx after its one allowed attempt), a follow-up notice (approved or not), and remedy rows
 * written directly (the remedies CRUD is built elsewhere).
 */
import type { Actor } from '../../src/domain/access.js';
import { approveNotice, createNotice } from '../../src/services/notices/notice.service.js';
import type { AppContext } from '../../src/wiring.js';
import {
  createRecallCase,
  type RecallCase,
  type TestCustomer,
} from '../personal-page/recall-case.js';
import { makeWorker } from '../dispatch/scenario.js';
import type { SmtpPeer } from '../support/smtp-peer.js';

export const communicator: Actor = {
  kind: 'user',
  userId: null,
  name: 'joost',
  roles: ['communicator'],
  source: 'test',
};
export const approver: Actor = { ...communicator, name: 'fatima', roles: ['approver'] };
export const responder: Actor = { ...communicator, name: 'sanne', roles: ['responder'] };

export const DAY = 86_400_000;

/** `n` mailable customers `${prefix}-01…`, one without email, one that bounces, one that fails. */
export function reminderCustomers(prefix: string, n: number): TestCustomer[] {
  const address = (i: number) => ({
    street: `Kanaalweg ${i}`,
    postal_code: '2311 AB',
    city: 'Leiden',
    country: 'NL',
  });
  const mailable = Array.from({ length: n }, (_, i) => {
    const id = `${prefix}-${String(i + 1).padStart(2, '0')}`;
    return {
      external_id: id,
      email: `${id.toLowerCase()}@example.nl`,
      name: `Klant ${id}`,
      language: 'nl' as const,
      impact: {},
      attributes: address(i + 1),
    };
  });
  return [
    ...mailable,
    {
      external_id: `${prefix}-NOMAIL`,
      email: null,
      name: 'Zonder Mail',
      language: 'nl',
      impact: {},
      attributes: address(90),
    },
    {
      external_id: `${prefix}-BOUNCE`,
      email: `${prefix.toLowerCase()}-bounce@example.nl`,
      name: 'Weg Adres',
      language: 'nl',
      impact: {},
      attributes: address(91),
    },
    {
      external_id: `${prefix}-FAIL`,
      email: `${prefix.toLowerCase()}-fail@example.nl`,
      name: 'Vol Postvak',
      language: 'en',
      impact: {},
      attributes: address(92),
    },
  ];
}

/** The peer's answers: 550 for *-bounce@, 452 for *-fail@, the rest accepted. */
export function peerFaults({ rcpt }: { rcpt: string }) {
  if (rcpt.includes('-bounce@')) return { code: 550, message: '5.1.1 User unknown' };
  if (rcpt.includes('-fail@')) return { code: 452, message: '4.2.2 Mailbox full' };
  return undefined;
}

/** Runs a worker until the queue is empty (one attempt per mail: a 4xx fails at once). */
export async function drainQueue(ctx: AppContext, smtp: SmtpPeer): Promise<void> {
  const oneAttempt = {
    ...ctx,
    config: { ...ctx.config, dispatch: { ...ctx.config.dispatch, maxAttempts: 1 } },
  };
  const { worker, transport } = makeWorker(oneAttempt, smtp.url);
  try {
    while ((await worker.runOnce()) > 0);
    await worker.runOnce();
  } finally {
    transport.close();
  }
}

export interface ReminderCase extends RecallCase {
  /** recipient id by external id */
  id(externalId: string): number;
}

export async function createReminderCase(
  ctx: AppContext,
  smtp: SmtpPeer,
  prefix: string,
  n = 12,
): Promise<ReminderCase> {
  const recall = await createRecallCase(ctx, reminderCustomers(prefix, n));
  await drainQueue(ctx, smtp);
  return {
    ...recall,
    id: (externalId) => {
      const r = recall.recipients.get(externalId);
      if (!r) throw new Error(`no recipient ${externalId}`);
      return r.id;
    },
  };
}

/** A follow-up notice to the affected, written by one person and (optionally) approved by another. */
export async function reminderNotice(
  ctx: AppContext,
  caseId: number,
  approved = true,
): Promise<number> {
  const notice = await createNotice(communicator, caseId, { title: 'Herinnering' }, ctx.deps);
  if (approved) await approveNotice(approver, notice.id, {}, ctx.deps);
  return notice.id;
}

/** A remedy row of a case (inserted directly: the remedies CRUD is another part). */
export async function insertRemedy(ctx: AppContext, caseId: number, key: string): Promise<number> {
  const now = new Date().toISOString();
  const { id } = await ctx.database.db
    .insertInto('remedies')
    .values({
      case_id: caseId,
      key,
      position: 1,
      completion: 'customer',
      created_by: 'test',
      created_at: now,
      updated_at: now,
      retired_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

/** Marks a remedy completed for a recipient at `at`. */
export async function completeRemedy(
  ctx: AppContext,
  remedyId: number,
  recipientId: number,
  at: Date,
): Promise<void> {
  const iso = at.toISOString();
  await ctx.database.db
    .insertInto('remedy_completions')
    .values({
      remedy_id: remedyId,
      recipient_id: recipientId,
      customer_confirmed_at: iso,
      provider_confirmed_at: null,
      completed_at: iso,
      updated_at: iso,
    })
    .execute();
}

/** Records an acknowledgement at `at` (what the personal page writes). */
export async function acknowledge(ctx: AppContext, recipientId: number, at: Date): Promise<void> {
  await ctx.database.db
    .updateTable('case_recipients')
    .set({ acknowledged_at: at.toISOString() })
    .where('id', '=', recipientId)
    .execute();
}

/** Email deliveries of a dispatch: recipient id → state. */
export async function deliveryStates(
  ctx: AppContext,
  dispatchId: number,
): Promise<Map<number, string>> {
  const rows = await ctx.database.db
    .selectFrom('deliveries')
    .select(['recipient_id', 'state'])
    .where('dispatch_id', '=', dispatchId)
    .where('channel', '=', 'email')
    .execute();
  return new Map(rows.map((r) => [Number(r.recipient_id), r.state]));
}
