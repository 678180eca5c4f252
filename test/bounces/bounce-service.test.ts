import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import type { Actor } from '../../src/domain/access.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../src/domain/errors.js';
import { importBounces, reportBounce } from '../../src/services/dispatch/bounce.service.js';
import { readJson, jsonObject } from '../../src/store/executor.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import {
  bounceCustomers,
  deliveryTo,
  dispatchFollowUp,
  failedDsn,
  markSent,
} from './bounce-context.js';

const sanne: Actor = {
  kind: 'user',
  userId: null,
  name: 'sanne',
  roles: ['responder'],
  source: '192.0.2.5',
};
const vera: Actor = { ...sanne, name: 'vera', roles: ['viewer'] };

describe.each(DIALECTS)('bounces after acceptance on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let recall: RecallCase;
  const email = (n: number) => `b-${n}@customer.example`;
  const delivery = (n: number, dispatchId = recall.dispatchId) =>
    deliveryTo(ctx, dispatchId, email(n));
  const bounceAudits = (deliveryId: number) =>
    ctx.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'delivery.bounce')
      .where('object_id', '=', String(deliveryId))
      .execute();

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    recall = await createRecallCase(ctx, bounceCustomers('B', 9));
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('marks the delivery of a Message-ID bounced, once, with the DSN status kept', async () => {
    const d = await delivery(1);
    await markSent(ctx, d.id);
    const input = {
      messageId: d.message_id,
      status: '5.1.1',
      diagnostic: '550 5.1.1 <b-1@customer.example>: User unknown',
    };
    const first = await reportBounce(sanne, input, ctx.deps);
    expect(first).toEqual({
      deliveryId: d.id,
      dispatchId: recall.dispatchId,
      recipientId: d.recipient_id,
      email: email(1),
      state: 'bounced',
      smtpResponse: 'DSN 5.1.1: 550 5.1.1 <b-1@customer.example>: User unknown',
      matchedBy: 'message-id',
      changed: true,
    });
    const stored = await delivery(1);
    expect(stored.state).toBe('bounced');
    expect(stored.sent_at).not.toBeNull();
    expect(stored.smtp_response).toBe(first.smtpResponse);

    const again = await reportBounce(sanne, { ...input, diagnostic: 'other words' }, ctx.deps);
    expect(again).toMatchObject({ changed: false, smtpResponse: first.smtpResponse });
    const audits = await bounceAudits(d.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor: 'sanne', source: '192.0.2.5' });
    expect(readJson(audits[0]!.details, jsonObject)).toMatchObject({
      dispatchId: recall.dispatchId,
      status: '5.1.1',
      matchedBy: 'message-id',
      via: 'api',
    });
  });

  it('takes a Message-ID without angle brackets', async () => {
    const d = await delivery(2);
    await markSent(ctx, d.id);
    const result = await reportBounce(sanne, { messageId: d.message_id.slice(1, -1) }, ctx.deps);
    expect(result).toMatchObject({
      deliveryId: d.id,
      changed: true,
      smtpResponse: 'DSN: bounced after acceptance',
    });
  });

  it('also finds the older Message-ID form <candor.{dispatch}.{recipient}@host>', async () => {
    const d = await delivery(9);
    await markSent(ctx, d.id);
    const older = `<candor.${d.dispatch_id}.${d.recipient_id}@localhost>`;
    await ctx.database.db
      .updateTable('deliveries')
      .set({ message_id: older })
      .where('id', '=', d.id)
      .execute();
    const result = await reportBounce(sanne, { messageId: older }, ctx.deps);
    expect(result).toMatchObject({ deliveryId: d.id, matchedBy: 'message-id', changed: true });
  });

  it('finds the most recent accepted delivery to an address, in any letter case', async () => {
    const followUp = await dispatchFollowUp(ctx, recall.caseId);
    const older = await delivery(3);
    const newer = await delivery(3, followUp);
    await markSent(ctx, older.id, new Date(Date.now() - 3600_000));
    await markSent(ctx, newer.id);
    const result = await reportBounce(
      sanne,
      { recipient: 'B-3@Customer.Example', status: '5.2.1' },
      ctx.deps,
    );
    expect(result).toMatchObject({ deliveryId: newer.id, matchedBy: 'recipient', changed: true });
    expect((await delivery(3)).state).toBe('sent');
    // Someone else's Message-ID falls back to the address.
    const foreign = await reportBounce(
      sanne,
      { messageId: '<abc@elsewhere.example>', recipient: email(3) },
      ctx.deps,
    );
    expect(foreign).toMatchObject({ deliveryId: newer.id, changed: false });
  });

  it('reports 404 for what matches nothing, 409 for a delivery never accepted', async () => {
    const queued = await delivery(4);
    const unknownId = `<candor.${recall.dispatchId}.999999@localhost>`;
    const wrongDomain = queued.message_id.replace(/@[^>]+>/, '@elsewhere.example>');
    for (const input of [
      { messageId: unknownId, recipient: email(4) },
      { messageId: wrongDomain },
      { messageId: '<abc@elsewhere.example>' },
      { recipient: 'nobody@customer.example' },
      // Queued, never sent: there is no accepted delivery to this address yet.
      { recipient: email(4) },
    ]) {
      await expect(reportBounce(sanne, input, ctx.deps)).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(
      reportBounce(sanne, { messageId: queued.message_id }, ctx.deps),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await delivery(4)).state).toBe('queued');
  });

  it('needs the bounces:report permission and a messageId or recipient', async () => {
    const d = await delivery(5);
    await markSent(ctx, d.id);
    await expect(reportBounce(vera, { messageId: d.message_id }, ctx.deps)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(reportBounce(sanne, { status: '5.1.1' }, ctx.deps)).rejects.toBeInstanceOf(
      ZodError,
    );
    await expect(
      reportBounce(sanne, { recipient: email(5), status: '2.0.0' }, ctx.deps),
    ).rejects.toBeInstanceOf(ZodError);
    expect((await delivery(5)).state).toBe('sent');
  });

  it('imports DSN files: failed marks bounced, delayed is noted, the rest is reported', async () => {
    const d6 = await delivery(6);
    const d7 = await delivery(7);
    await markSent(ctx, d6.id);
    await markSent(ctx, d7.id);
    const delayed = failedDsn(d7.message_id, email(7))
      .replace('Action: failed', 'Action: delayed')
      .replace('Status: 5.1.1', 'Status: 4.4.7');
    const ooo = [
      'From: Klant <b-8@customer.example>',
      'To: security@example.com',
      'Subject: Afwezig',
      'Content-Type: text/plain',
      '',
      'Ik ben er niet.',
      '',
    ].join('\n');
    const mbox = [
      failedDsn(d6.message_id, email(6)),
      delayed,
      ooo,
      failedDsn('<candor.424242.424242@localhost>', 'gone@customer.example'),
      failedDsn('<xyz@other.example>', email(6)),
    ]
      .map((m) => `From MAILER-DAEMON  Fri Nov 27 12:40:11 2026\n${m}\n`)
      .join('');
    const summary = await importBounces(sanne, Buffer.from(mbox), ctx.deps);
    expect(summary).toMatchObject({
      messages: 5,
      reports: 4,
      bounced: 1,
      alreadyBounced: 1,
      notFound: 1,
      delayed: 1,
      ignored: 0,
    });
    expect(summary.unmatched).toEqual([
      {
        index: 4,
        messageId: '<candor.424242.424242@localhost>',
        recipient: 'gone@customer.example',
        reason: 'no delivery has this Message-ID',
      },
    ]);
    expect(summary.delays).toEqual([
      { index: 2, messageId: d7.message_id, recipient: email(7), status: '4.4.7' },
    ]);
    expect(summary.problems).toHaveLength(1);
    expect(summary.problems[0]).toMatchObject({ index: 3 });
    expect(summary.problems[0]!.reason).toMatch(/not a delivery status notification/);
    expect((await delivery(6)).state).toBe('bounced');
    expect((await delivery(6)).smtp_response).toMatch(/^DSN 5\.1\.1: 550 5\.1\.1 <b-6@/);
    expect((await delivery(7)).state).toBe('sent');
    expect(readJson((await bounceAudits(d6.id))[0]!.details, jsonObject)).toMatchObject({
      via: 'dsn-import',
      message: 1,
    });
  });
});
