/**
 * A notified case whose deliveries a test can move to 'sent' (as a worker would after the
 * relay's 250), plus DSN files templated from test/bounces/failed-dsn.template.eml so that
 * their Original Message-ID names a real delivery.
 */
import fs from 'node:fs';
import { systemActor } from '../../src/domain/access.js';
import { approveNotice, createNotice } from '../../src/services/notices/notice.service.js';
import { startDispatch } from '../../src/services/dispatch/dispatch.service.js';
import type { DeliveryRow } from '../../src/store/schema.js';
import type { AppContext } from '../../src/wiring.js';
import type { TestCustomer } from '../personal-page/recall-case.js';

const TEMPLATE = fs.readFileSync(new URL('./failed-dsn.template.eml', import.meta.url), 'utf8');

/** A DSN reporting `recipient` as failed (5.1.1) for the message `messageId`. */
export function failedDsn(messageId: string, recipient: string): string {
  return TEMPLATE.replaceAll('{{message_id}}', messageId).replaceAll('{{recipient}}', recipient);
}

/** Customers with addresses only used by one test file (external ids carry a prefix). */
export function bounceCustomers(prefix: string, count: number): TestCustomer[] {
  return Array.from({ length: count }, (_, i) => ({
    external_id: `${prefix}-${i + 1}`,
    email: `${prefix.toLowerCase()}-${i + 1}@customer.example`,
    name: `Klant ${prefix} ${i + 1}`,
    language: 'nl' as const,
    impact: { data: 'naam' },
  }));
}

/** The delivery of a dispatch to one address. */
export async function deliveryTo(
  ctx: AppContext,
  dispatchId: number,
  email: string,
): Promise<DeliveryRow> {
  return ctx.database.db
    .selectFrom('deliveries')
    .selectAll()
    .where('dispatch_id', '=', dispatchId)
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
}

/** What the worker records when the relay accepts a message. */
export async function markSent(ctx: AppContext, id: number, at = new Date()): Promise<void> {
  await ctx.database.db
    .updateTable('deliveries')
    .set({
      state: 'sent',
      sent_at: at.toISOString(),
      smtp_response: '250 2.0.0 Ok: queued',
      updated_at: at.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

/** A second notice to the same case, approved and dispatched: a follow-up to the same set. */
export async function dispatchFollowUp(ctx: AppContext, caseId: number): Promise<number> {
  const writer = {
    kind: 'user',
    userId: null,
    name: 'joost',
    roles: ['communicator'],
    source: 'test',
  } as const;
  const approver = { ...writer, name: 'fatima', roles: ['approver'] } as const;
  const notice = await createNotice(writer, caseId, {}, ctx.deps);
  await approveNotice(approver, notice.id, {}, ctx.deps);
  return (await startDispatch(systemActor('test'), notice.id, ctx.deps)).id;
}
