import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createReminderRule,
  listReminderRules,
  listReminderSends,
  runDueReminders,
} from '../../src/services/remedies/reminder.service.js';
import { approveNotice } from '../../src/services/notices/notice.service.js';
import { openDatabase } from '../../src/store/database.js';
import { ValidationError } from '../../src/domain/errors.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import {
  acknowledge,
  approver,
  completeRemedy,
  createReminderCase,
  DAY,
  deliveryStates,
  drainQueue,
  insertRemedy,
  peerFaults,
  reminderNotice,
  responder,
} from './reminder-case.js';

describe.each(DIALECTS)('reminder rules on %s', { timeout: 120_000 }, (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let smtp: SmtpPeer;
  const received = (email: string) => smtp.received.get(email) ?? 0;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    smtp = await startSmtpPeer({ faults: peerFaults });
  });
  afterAll(async () => {
    await smtp.close();
    await ctx.close();
  });

  it('reminds only who has not completed the remedy, when due, at most max_sends times', async () => {
    const c = await createReminderCase(ctx, smtp, 'RA');
    const remedy = await insertRemedy(ctx, c.caseId, 'update-plugin');
    const noticeId = await reminderNotice(ctx, c.caseId);
    const rule = await createReminderRule(
      responder,
      c.reference,
      { noticeId, condition: 'not-completed', remedy: 'update-plugin', days: 3, maxSends: 2 },
      ctx.deps,
    );
    const start = Date.now();
    await completeRemedy(ctx, remedy, c.id('RA-01'), new Date(start));
    await completeRemedy(ctx, remedy, c.id('RA-02'), new Date(start));
    // Acknowledging is not completing: RA-03 is still reminded.
    await acknowledge(ctx, c.id('RA-03'), new Date(start));
    const at = (days: number) => ({ caseRef: c.reference, now: new Date(start + days * DAY) });

    const early = await runDueReminders(responder, ctx.deps, at(1));
    expect(early).toMatchObject([{ ruleId: rule.id, outcome: 'not-due' }]);

    const [first] = await runDueReminders(responder, ctx.deps, at(3.1));
    expect(first).toMatchObject({ outcome: 'sent', runNo: 1 });
    const firstStates = await deliveryStates(ctx, first!.dispatchId!);
    // Not done: RA-03…RA-12 and the one whose mail failed; not the bounced one, not the
    // one without email, not those who completed.
    const expected = [
      ...Array.from({ length: 10 }, (_, i) => `RA-${String(i + 3).padStart(2, '0')}`),
      'RA-FAIL',
    ];
    expect([...firstStates.keys()].sort()).toEqual(expected.map((e) => c.id(e)).sort());
    expect(first!.recipients).toBe(11);
    await drainQueue(ctx, smtp);
    expect(received('ra-01@example.nl')).toBe(1); // the first notice only
    expect(received('ra-03@example.nl')).toBe(2); // notice and reminder

    // Not due again until 3 days after the previous send.
    expect((await runDueReminders(responder, ctx.deps, at(5)))[0]).toMatchObject({
      outcome: 'not-due',
    });
    await completeRemedy(ctx, remedy, c.id('RA-04'), new Date(start + 4 * DAY));
    const [second] = await runDueReminders(responder, ctx.deps, at(6.2));
    expect(second).toMatchObject({ outcome: 'sent', runNo: 2, recipients: 10 });
    const secondStates = await deliveryStates(ctx, second!.dispatchId!);
    expect(secondStates.has(c.id('RA-04'))).toBe(false);
    expect(secondStates.has(c.id('RA-05'))).toBe(true);
    await drainQueue(ctx, smtp);
    expect(received('ra-05@example.nl')).toBe(3);

    // max_sends reached: no third run, however long one waits.
    expect((await runDueReminders(responder, ctx.deps, at(30)))[0]).toMatchObject({
      outcome: 'not-due',
      message: 'nothing due',
    });
    expect(received('ra-05@example.nl')).toBe(3);
    const [listed] = await listReminderRules(responder, c.reference, ctx.deps);
    expect(listed).toMatchObject({ runs: 2, nextDueAt: null, noticeApproved: true });
    const markers = await listReminderSends(ctx.database.db, c.caseId);
    expect(markers.map((m) => m.at)).toEqual([
      at(3.1).now.toISOString(),
      at(6.2).now.toISOString(),
    ]);
    expect(markers[0]!.label).toContain('(11)');
  });

  it('re-checks at sending: whoever completed after being chosen, or while queued, is not mailed', async () => {
    const c = await createReminderCase(ctx, smtp, 'RB', 6);
    const noticeId = await reminderNotice(ctx, c.caseId);
    await createReminderRule(
      responder,
      c.reference,
      { noticeId, condition: 'not-acknowledged', days: 1, maxSends: 1 },
      ctx.deps,
    );
    const now = new Date(Date.now() + 2 * DAY);
    const [run] = await runDueReminders(responder, ctx.deps, {
      caseRef: c.reference,
      now,
      // Between choosing and queueing, RB-02 acknowledges on their personal page.
      afterSelect: () => acknowledge(ctx, c.id('RB-02'), new Date()),
    });
    expect(run).toMatchObject({ outcome: 'sent' });
    const send = await ctx.database.db
      .selectFrom('reminder_sends')
      .selectAll()
      .where('dispatch_id', '=', run!.dispatchId!)
      .executeTakeFirstOrThrow();
    // Chosen: RB-01…06 and RB-FAIL (7); queued: 6, without RB-02.
    expect(Number(send.selected)).toBe(7);
    expect(Number(send.recipients)).toBe(6);
    const states = await deliveryStates(ctx, run!.dispatchId!);
    expect(states.has(c.id('RB-02'))).toBe(false);

    // While the reminders wait in the queue, RB-03 acknowledges: the checker withdraws it.
    await acknowledge(ctx, c.id('RB-03'), new Date());
    const [again] = await runDueReminders(responder, ctx.deps, { caseRef: c.reference, now });
    expect(again).toMatchObject({ outcome: 'not-due', withdrawn: 1 });
    await drainQueue(ctx, smtp);
    expect(received('rb-02@example.nl')).toBe(1);
    expect(received('rb-03@example.nl')).toBe(1);
    expect(received('rb-04@example.nl')).toBe(2);
    expect((await deliveryStates(ctx, run!.dispatchId!)).get(c.id('RB-03'))).toBe('cancelled');
  });

  it('does not send with an unapproved notice and says so; sends once it is approved', async () => {
    const c = await createReminderCase(ctx, smtp, 'RC', 3);
    const noticeId = await reminderNotice(ctx, c.caseId, false);
    const rule = await createReminderRule(
      responder,
      c.reference,
      { noticeId, condition: 'not-acknowledged', days: 2, maxSends: 1 },
      ctx.deps,
    );
    expect(rule.noticeApproved).toBe(false);
    const now = new Date(Date.now() + 3 * DAY);
    const [refused] = await runDueReminders(responder, ctx.deps, { caseRef: c.reference, now });
    expect(refused).toMatchObject({ outcome: 'refused', dispatchId: null });
    expect(refused!.message).toMatch(/not approved/);
    const [listed] = await listReminderRules(responder, c.reference, ctx.deps);
    expect(listed!.refusal).toMatch(/not approved/);
    expect(
      await ctx.database.db
        .selectFrom('reminder_sends')
        .select('id')
        .where('rule_id', '=', rule.id)
        .execute(),
    ).toHaveLength(0);

    await approveNotice(approver, noticeId, {}, ctx.deps);
    const [sent] = await runDueReminders(responder, ctx.deps, { caseRef: c.reference, now });
    expect(sent).toMatchObject({ outcome: 'sent', runNo: 1, recipients: 4 });
    expect((await listReminderRules(responder, c.reference, ctx.deps))[0]!.refusal).toBeNull();
  });

  it('names the field of a bad rule', async () => {
    const c = await createReminderCase(ctx, smtp, 'RD', 1);
    const noticeId = await reminderNotice(ctx, c.caseId);
    const attempt = (input: Record<string, unknown>) =>
      createReminderRule(responder, c.reference, input as never, ctx.deps).then(
        () => null,
        (e: unknown) => e,
      );
    const noRemedy = await attempt({ noticeId, condition: 'not-completed', days: 3, maxSends: 1 });
    expect(noRemedy).toBeInstanceOf(ValidationError);
    expect((noRemedy as ValidationError).errors).toEqual([
      expect.objectContaining({ field: 'remedy' }),
    ]);
    const unknownRemedy = await attempt({
      noticeId,
      condition: 'not-completed',
      remedy: 'nope',
      days: 3,
      maxSends: 1,
    });
    expect((unknownRemedy as ValidationError).errors[0]!.field).toBe('remedy');
    const zeroDays = await attempt({
      noticeId,
      condition: 'not-acknowledged',
      days: 0,
      maxSends: 1,
    });
    expect((zeroDays as ValidationError).errors[0]!.field).toBe('days');
    const otherNotice = await attempt({
      noticeId: 999_999,
      condition: 'not-acknowledged',
      days: 1,
      maxSends: 1,
    });
    expect((otherNotice as ValidationError).errors[0]!.field).toBe('noticeId');
  });

  it.runIf(dialect === 'postgres')(
    'sends a run once when two processes run the checker at the same moment',
    async () => {
      const c = await createReminderCase(ctx, smtp, 'RE', 8);
      const noticeId = await reminderNotice(ctx, c.caseId);
      const other = openDatabase(ctx.testDb.config);
      try {
        const rules = [];
        for (let i = 0; i < 4; i++)
          rules.push(
            await createReminderRule(
              responder,
              c.reference,
              { noticeId, condition: 'not-acknowledged', days: 1, maxSends: 3 },
              ctx.deps,
            ),
          );
        const now = new Date(Date.now() + 1.5 * DAY);
        const options = { caseRef: c.reference, now };
        const [a, b] = await Promise.all([
          runDueReminders(responder, ctx.deps, options),
          runDueReminders(responder, { ...ctx.deps, database: other }, options),
        ]);
        for (const rule of rules) {
          const outcomes = [a, b].map((r) => r.find((x) => x.ruleId === rule.id)!.outcome);
          expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
          expect(outcomes.filter((o) => o !== 'sent')[0]).toMatch(/taken|not-due/);
        }
        const sends = await ctx.database.db
          .selectFrom('reminder_sends')
          .select(['rule_id', 'dispatch_id'])
          .where('case_id', '=', c.caseId)
          .execute();
        expect(sends).toHaveLength(4);
        // Each recipient got one reminder per rule, never two of one run.
        const per = await ctx.database.db
          .selectFrom('deliveries')
          .select(['recipient_id', 'dispatch_id'])
          .where(
            'dispatch_id',
            'in',
            sends.map((s) => Number(s.dispatch_id)),
          )
          .execute();
        expect(per).toHaveLength(4 * 9);
      } finally {
        await other.close();
      }
    },
  );
});
