/**
 * A notified case for the personal-page and bounce tests: a few hand-written customers (in
 * Dutch and English, one with markup in their name), an affected list with impact values, the
 * built-in notice written by a communicator and approved by an approver, and a dispatch that
 * froze the set and issued the personal tokens. Everything goes through the services; no
 * SMTP is involved (deliveries stay queued unless a test moves them on).
 */
import { Readable } from 'node:stream';
import { systemActor, type Actor } from '../../src/domain/access.js';
import { importAffected } from '../../src/services/cases/affected.service.js';
import { createCase } from '../../src/services/cases/case.service.js';
import { importCustomers } from '../../src/services/customers/customer-import.service.js';
import { startDispatch } from '../../src/services/dispatch/dispatch.service.js';
import { approveNotice, createNotice } from '../../src/services/notices/notice.service.js';
import { personalToken } from '../../src/lib/personal-token.js';
import type { AppContext } from '../../src/wiring.js';

export interface TestCustomer {
  external_id: string;
  email: string | null;
  name: string;
  language: 'nl' | 'en';
  impact: Record<string, unknown>;
  /** ISO country code for the registry (decides the page's time zone). */
  country?: string;
  /** Free registry attributes, e.g. `time_zone`. */
  attributes?: Record<string, string>;
}

export interface TestRecipient {
  id: number;
  token: string;
  customer: TestCustomer;
}

export interface RecallCase {
  caseId: number;
  reference: string;
  noticeId: number;
  dispatchId: number;
  recipients: Map<string, TestRecipient>;
}

const actor = (name: string, role: 'communicator' | 'approver' | 'responder'): Actor => ({
  kind: 'user',
  userId: null,
  name,
  roles: [role],
  source: 'test',
});

/** Creates the case for `customers` (external ids must be unique per test database). */
export async function createRecallCase(
  ctx: AppContext,
  customers: TestCustomer[],
  title = 'Klantgegevens gekopieerd via een gestolen beheersleutel',
): Promise<RecallCase> {
  const admin = systemActor('test');
  const registry = customers
    .map((c) =>
      JSON.stringify({
        external_id: c.external_id,
        email: c.email,
        name: c.name,
        language: c.language,
        ...(c.country ? { country: c.country } : {}),
        ...c.attributes,
      }),
    )
    .join('\n');
  const imported = await importCustomers(
    admin,
    Readable.from([`${registry}\n`]),
    { source: 'test', format: 'jsonl' },
    ctx.deps,
  );
  if (imported.rejected > 0) throw new Error(`${imported.rejected} customers rejected`);
  const kase = await createCase(
    actor('sanne', 'responder'),
    {
      kind: 'incident',
      title,
      summary:
        'Een aanvaller heeft via een gestolen beheersleutel een deel van onze klantgegevens gekopieerd.',
      statements: {
        what_happened: {
          nl: 'Een aanvaller heeft via een gestolen beheersleutel een deel van onze klantgegevens gekopieerd.',
          en: 'An attacker used a stolen admin key to copy part of our customer data.',
        },
      },
      detectedAt: '2026-11-26T21:10:00Z',
      awareAt: '2026-11-27T02:45:00Z',
    },
    ctx.deps,
  );
  const list = customers
    .map((c) => JSON.stringify({ external_id: c.external_id, ...c.impact }))
    .join('\n');
  const affected = await importAffected(
    actor('sanne', 'responder'),
    kase.id,
    Readable.from([`${list}\n`]),
    { source: 'test', format: 'jsonl' },
    ctx.deps,
  );
  if (affected.rejected > 0) throw new Error(`${affected.rejected} affected rows rejected`);
  const notice = await createNotice(actor('joost', 'communicator'), kase.id, {}, ctx.deps);
  await approveNotice(actor('fatima', 'approver'), notice.id, {}, ctx.deps);
  const dispatch = await startDispatch(admin, notice.id, ctx.deps);

  const rows = await ctx.database.db
    .selectFrom('case_recipients')
    .select(['id', 'external_id'])
    .where('case_id', '=', kase.id)
    .execute();
  const recipients = new Map<string, TestRecipient>();
  for (const row of rows) {
    const customer = customers.find((c) => c.external_id === row.external_id)!;
    recipients.set(row.external_id, {
      id: row.id,
      token: personalToken(ctx.deps.secret, kase.id, row.id),
      customer,
    });
  }
  return {
    caseId: kase.id,
    reference: kase.reference,
    noticeId: notice.id,
    dispatchId: dispatch.id,
    recipients,
  };
}
