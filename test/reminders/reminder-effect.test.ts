import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/domain/errors.js';
import { reminderEffect } from '../../src/services/remedies/reminder-effect.service.js';
import {
  escalateToLetters,
  previewEscalation,
  saveEscalationRule,
} from '../../src/services/remedies/reminder-escalation.service.js';
import {
  createReminderRule,
  runDueReminders,
} from '../../src/services/remedies/reminder.service.js';
import type { RenderedBatch } from '../../src/services/letters/letter-renderer.js';
import { setDispatchCreatedAt } from '../../src/store/dispatch.repository.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import { pdfInfo } from '../letters/pdf-reader.js';
import {
  acknowledge,
  completeRemedy,
  createReminderCase,
  DAY,
  drainQueue,
  insertRemedy,
  reminderNotice,
  responder,
  peerFaults,
} from './reminder-case.js';

describe.each(DIALECTS)('reminder effect and escalation on %s', { timeout: 120_000 }, (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let smtp: SmtpPeer;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    smtp = await startSmtpPeer({ faults: peerFaults });
  });
  afterAll(async () => {
    await smtp.close();
    await ctx.close();
  });

  it('compares the rate per day of the still-open before and after each reminder', async () => {
    // 20 mailable + the bounced and the failed one have email: 22 in the population.
    const c = await createReminderCase(ctx, smtp, 'EF', 20);
    const remedy = await insertRemedy(ctx, c.caseId, 'rotate-key');
    const noticeId = await reminderNotice(ctx, c.caseId);
    const first = Date.now() - 20 * DAY;
    await setDispatchCreatedAt(ctx.database.db, c.dispatchId, new Date(first).toISOString());
    await createReminderRule(
      responder,
      c.reference,
      { noticeId, condition: 'not-completed', remedy: 'rotate-key', days: 4, maxSends: 1 },
      ctx.deps,
    );
    const sendAt = first + 6 * DAY;
    const id = (n: number) => c.id(`EF-${String(n).padStart(2, '0')}`);
    // The reminder goes out on day 6 to all 21 not done (the bounced one is not mailed);
    // the history around it is written afterwards.
    const [run] = await runDueReminders(responder, ctx.deps, {
      caseRef: c.reference,
      now: new Date(sendAt),
    });
    expect(run).toMatchObject({ outcome: 'sent', recipients: 21 });
    // Acknowledged: 2 before the window (day 1), 2 in the 4 days before, 6 in the 4 after,
    // 1 after the window (not counted).
    for (const n of [1, 2]) await acknowledge(ctx, id(n), new Date(first + 1 * DAY));
    for (const n of [3, 4]) await acknowledge(ctx, id(n), new Date(sendAt - 1 * DAY));
    for (const n of [5, 6, 7, 8, 9, 10]) await acknowledge(ctx, id(n), new Date(sendAt + 2 * DAY));
    await acknowledge(ctx, id(11), new Date(sendAt + 5 * DAY));
    // Completed: 1 in the days before, 4 in the days after.
    await completeRemedy(ctx, remedy, id(3), new Date(sendAt - 2 * DAY));
    for (const n of [5, 6, 7, 8])
      await completeRemedy(ctx, remedy, id(n), new Date(sendAt + 1 * DAY));

    const [effect] = await reminderEffect(ctx.database.db, c.caseId);
    expect(effect).toMatchObject({
      runNo: 1,
      at: new Date(sendAt).toISOString(),
      recipients: 21,
      windowDays: 4,
      remedyId: remedy,
    });
    const ack = effect!.acknowledged;
    expect(ack.before).toMatchObject({ open: 20, done: 2, days: 4 });
    expect(ack.after).toMatchObject({ open: 18, done: 6, days: 4 });
    expect(ack.before.ratePerDay).toBeCloseTo(2 / 20 / 4, 10);
    expect(ack.after.ratePerDay).toBeCloseTo(6 / 18 / 4, 10);
    expect(ack.factor).toBeCloseTo(6 / 18 / (2 / 20), 10);
    const done = effect!.completed!;
    expect(done.before).toMatchObject({ open: 22, done: 1 });
    expect(done.after).toMatchObject({ open: 21, done: 4 });
    expect(done.factor).toBeCloseTo(4 / 21 / (1 / 22), 10);
  });

  it('escalates the bounced, failed, mail-less and unreacting to a printed letter batch', async () => {
    const c = await createReminderCase(ctx, smtp, 'ES', 4);
    const noticeId = await reminderNotice(ctx, c.caseId);
    await createReminderRule(
      responder,
      c.reference,
      { noticeId, condition: 'not-acknowledged', days: 1, maxSends: 1 },
      ctx.deps,
    );
    const start = Date.now();
    await acknowledge(ctx, c.id('ES-01'), new Date(start));
    const [run] = await runDueReminders(responder, ctx.deps, {
      caseRef: c.reference,
      now: new Date(start + 1.5 * DAY),
    });
    // ES-02…04 and ES-FAIL (the bounced one is not mailed again).
    expect(run).toMatchObject({ outcome: 'sent', recipients: 4 });
    await drainQueue(ctx, smtp);
    await acknowledge(ctx, c.id('ES-02'), new Date(start + 2 * DAY));

    const later = new Date(start + 5 * DAY);
    const off = await previewEscalation(responder, c.reference, ctx.deps, later);
    expect(off).toMatchObject({ enabled: false, afterDays: 14 });
    const letterDeps = { ...ctx.deps, timeZone: 'Europe/Amsterdam' };
    await expect(escalateToLetters(responder, c.reference, letterDeps)).rejects.toBeInstanceOf(
      ConflictError,
    );
    const saved = await saveEscalationRule(
      responder,
      c.reference,
      { enabled: true, afterDays: 2 },
      ctx.deps,
    );
    expect(saved.enabled).toBe(true);
    // Two days after the reminder is not yet past for the unreacting ones, only for the rest.
    const soon = await previewEscalation(
      responder,
      c.reference,
      ctx.deps,
      new Date(start + 3 * DAY),
    );
    expect(soon.reasons).toEqual({ 'no-email': 1, bounced: 1, failed: 1, 'no-reaction': 0 });
    const preview = await previewEscalation(responder, c.reference, ctx.deps, later);
    expect(preview.reasons).toEqual({ 'no-email': 1, bounced: 1, failed: 1, 'no-reaction': 2 });
    expect(preview.total).toBe(5);

    const files: RenderedBatch[] = [];
    const result = await escalateToLetters(responder, c.reference, letterDeps, {
      now: later,
      sink: (_batch, f) => {
        files.push(f);
      },
    });
    expect(result.letters.letters).toBe(5);
    expect(result.letters.batches).toHaveLength(1);
    expect(pdfInfo(files[0]!.pdf).pages).toBeGreaterThan(0);
    expect(pdfInfo(files[0]!.pdf).pages).toBe(result.letters.batches[0]!.pages);
    const letters = await ctx.database.db
      .selectFrom('deliveries')
      .select(['recipient_id', 'state'])
      .where('dispatch_id', '=', c.dispatchId)
      .where('channel', '=', 'letter')
      .execute();
    expect(letters.map((l) => Number(l.recipient_id)).sort()).toEqual(
      ['ES-NOMAIL', 'ES-BOUNCE', 'ES-FAIL', 'ES-03', 'ES-04'].map((e) => c.id(e)).sort(),
    );
    expect(new Set(letters.map((l) => l.state))).toEqual(new Set(['printed']));
    // Nobody gets a second letter.
    const again = await escalateToLetters(responder, c.reference, letterDeps, { now: later });
    expect(again.letters.letters).toBe(0);
    expect((await previewEscalation(responder, c.reference, ctx.deps, later)).total).toBe(0);
  });
});
