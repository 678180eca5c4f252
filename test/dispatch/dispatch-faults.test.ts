import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  controlDispatch,
  getDispatchProgress,
} from '../../src/services/dispatch/dispatch.service.js';
import { getNotice, updateNotice } from '../../src/services/notices/notice.service.js';
import { claimDeliveries } from '../../src/store/delivery-queue.repository.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpPeer, type SmtpFault, type SmtpPeer } from '../support/smtp-peer.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  deliveriesOf,
  makeWorker,
  runWorker,
  waitForDispatch,
  type DispatchTestContext,
  type People,
} from './scenario.js';

/**
 * What the worker makes of each way an SMTP peer can answer, against a real SMTP socket.
 * Retries are sped up through the same setting an operator uses: a 50 ms retry base and
 * four attempts, so backoff runs 50, 100, 200 ms.
 */
describe.each(DIALECTS)('dispatch against a faulty SMTP peer on %s', (dialect) => {
  let ctx: DispatchTestContext;
  let people: People;
  const peers: SmtpPeer[] = [];

  beforeAll(async () => {
    ctx = await createDispatchContext(dialect, {
      CANDOR_DISPATCH_RETRY_BASE_SECONDS: '0.05',
      CANDOR_DISPATCH_MAX_ATTEMPTS: '4',
    });
    people = await createPeople(ctx);
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await ctx.close();
  });

  it('defers, backs off, retries, fails, bounces and records every SMTP reply', async () => {
    const s = await buildScenario(ctx, people, { customers: 12, until: 'dispatched' });
    const [deferred, stubborn, gone, dropped, slow, twice] = s.customers.map((c) => c.email);
    const rcptTimes = new Map<string, number[]>();
    const faults = (stage: 'rcpt' | 'data', rcpt: string, attempt: number): SmtpFault => {
      if (stage === 'rcpt') rcptTimes.set(rcpt, [...(rcptTimes.get(rcpt) ?? []), Date.now()]);
      if (stage === 'rcpt' && rcpt === deferred && attempt <= 2)
        return { code: 451, message: '4.7.1 Greylisted, try again later' };
      if (stage === 'rcpt' && rcpt === stubborn)
        return { code: 452, message: '4.2.2 Mailbox full' };
      if (stage === 'rcpt' && rcpt === gone) return { code: 550, message: '5.1.1 User unknown' };
      if (stage === 'data' && rcpt === dropped && attempt === 1) return 'drop';
      if (stage === 'data' && rcpt === slow) return { delayMs: 1500 };
      if (stage === 'data' && rcpt === twice && attempt === 1) return 'accept-then-drop';
      return 'accept';
    };
    const smtp = await startSmtpPeer({
      faults: ({ stage, rcpt, attempt }) => faults(stage, rcpt, attempt),
    });
    peers.push(smtp);

    const worker = await runWorker(ctx, smtp.url);
    const done = await waitForDispatch(ctx, s.dispatch!.id).finally(() => worker.stop());
    const rows = new Map((await deliveriesOf(ctx, s.dispatch!.id)).map((d) => [d.email, d]));
    const row = (email: string | undefined) => rows.get(email!)!;

    // 4xx twice, then accepted: retried after a growing backoff, delivered once.
    expect(row(deferred)).toMatchObject({ state: 'sent', attempts: 3 });
    expect(smtp.attempts(deferred!)).toBe(3);
    const [t1, t2, t3] = rcptTimes.get(deferred!)!;
    expect(t2! - t1!).toBeGreaterThanOrEqual(50);
    expect(t3! - t2!).toBeGreaterThanOrEqual(100);
    // 4xx every time: failed after maxAttempts, with the peer's reason.
    expect(row(stubborn)).toMatchObject({ state: 'failed', attempts: 4, sent_at: null });
    expect(row(stubborn).smtp_response).toMatch(
      /^452 4\.2\.2 Mailbox full \(gave up after 4 attempts\)$/,
    );
    expect(smtp.attempts(stubborn!)).toBe(4);
    // 5xx: bounced at once and never retried.
    expect(row(gone)).toMatchObject({ state: 'bounced', attempts: 1, sent_at: null });
    expect(row(gone).smtp_response).toMatch(/^550 5\.1\.1 User unknown/);
    expect(smtp.attempts(gone!)).toBe(1);
    // A connection dropped before the reply to DATA: retried and delivered.
    expect(row(dropped)).toMatchObject({ state: 'sent', attempts: 2 });
    // A slow peer is waited for.
    expect(row(slow)).toMatchObject({ state: 'sent', attempts: 1 });
    // Accepted, then the connection died before the 250 reached us: the sender cannot tell
    // this from a loss, so it sends again. The one duplicate SMTP itself cannot prevent.
    expect(row(twice)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(smtp.received.get(twice!)).toBe(2);

    for (const c of s.customers) {
      const d = row(c.email);
      if (d.state === 'sent') {
        expect(d.smtp_response).toMatch(/^250 /);
        expect(d.sent_at).not.toBeNull();
        if (c.email !== twice) expect(smtp.received.get(c.email)).toBe(1);
      } else {
        expect(smtp.received.has(c.email)).toBe(false);
      }
      expect(d.claimed_by).toBeNull();
    }
    expect(done).toMatchObject({ state: 'completed', total: 12, done: 12 });
    expect(done.counts).toMatchObject({ sent: 10, bounced: 1, failed: 1, deferred: 0 });
  });

  it('records a connection dropped after the message on a reused connection as an attempt, and backs off', async () => {
    const s = await buildScenario(ctx, people, { customers: 3, until: 'dispatched' });
    const twice = s.customers[1]!.email;
    const smtp = await startSmtpPeer({
      faults: ({ stage, rcpt, attempt }) =>
        stage === 'data' && rcpt === twice && attempt === 1 ? 'accept-then-drop' : undefined,
    });
    peers.push(smtp);
    // One connection, so the second message goes out on a session the first one reused.
    const single = {
      ...ctx,
      config: { ...ctx.config, dispatch: { ...ctx.config.dispatch, connections: 1 } },
    };
    const { worker, transport } = makeWorker(single, smtp.url);
    try {
      expect(await worker.runOnce()).toBe(3);
      const first = new Map((await deliveriesOf(ctx, s.dispatch!.id)).map((d) => [d.email, d]));
      expect(first.get(twice)).toMatchObject({ state: 'deferred', attempts: 1, sent_at: null });
      expect(first.get(twice)!.smtp_response).toMatch(/^ECONNECTION/);
      expect(smtp.received.get(twice)).toBe(1);
      const due = Date.parse(first.get(twice)!.next_attempt_at);
      expect(due - Date.parse(first.get(twice)!.claimed_at!)).toBeGreaterThanOrEqual(50);
      await new Promise((resolve) => setTimeout(resolve, due - Date.now() + 10));
      expect(await worker.runOnce()).toBe(1);
      const [again] = (await deliveriesOf(ctx, s.dispatch!.id)).filter((d) => d.email === twice);
      // The duplicate SMTP cannot prevent is now on record: two attempts, two copies.
      expect(again).toMatchObject({ state: 'sent', attempts: 2 });
      expect(smtp.received.get(twice)).toBe(2);
    } finally {
      transport.close();
    }
  });

  it('fails a delivery that cannot be rendered at once, with the reason, and finishes the rest', async () => {
    const s = await buildScenario(ctx, people, { customers: 3, until: 'dispatched' });
    const broken = s.customers[0]!.email;
    // A name with a line break in the frozen copy (the import now refuses one; older data
    // or a database edited by hand may still hold it): its To: header cannot be written.
    await ctx.database.db
      .updateTable('case_recipients')
      .set({ name: 'Jan\r\nBcc: someone@elsewhere.example' })
      .where('case_id', '=', s.caseId)
      .where('email', '=', broken)
      .execute();
    const smtp = await startSmtpPeer();
    peers.push(smtp);
    const { worker, transport } = makeWorker(ctx, smtp.url);
    try {
      expect(await worker.runOnce()).toBe(3);
      const rows = new Map((await deliveriesOf(ctx, s.dispatch!.id)).map((d) => [d.email, d]));
      expect(rows.get(broken)).toMatchObject({
        state: 'failed',
        attempts: 1,
        sent_at: null,
      });
      expect(rows.get(broken)!.smtp_response).toMatch(/^cannot be rendered: To: line breaks/);
      expect(smtp.received.has(broken)).toBe(false);
      expect(smtp.total()).toBe(2);
      expect(await worker.runOnce()).toBe(0);
      const progress = await getDispatchProgress(people.vera, s.dispatch!.id, ctx.deps);
      expect(progress).toMatchObject({ state: 'completed', counts: { sent: 2, failed: 1 } });
    } finally {
      transport.close();
    }
  });

  it('keeps a 4xx delivery deferred until its next attempt is due', async () => {
    const s = await buildScenario(ctx, people, { customers: 1, until: 'dispatched' });
    const email = s.customers[0]!.email;
    const smtp = await startSmtpPeer({
      faults: ({ stage, attempt }) =>
        stage === 'rcpt' && attempt === 1 ? { code: 421, message: '4.3.2 Busy' } : undefined,
    });
    peers.push(smtp);
    // Driven one batch at a time, with a one-second base so "not yet due" is unambiguous.
    const { worker, transport } = makeWorker(ctx, smtp.url, { retryBaseMs: 1000 });
    try {
      expect(await worker.runOnce()).toBe(1);
      const [first] = await deliveriesOf(ctx, s.dispatch!.id);
      expect(first).toMatchObject({ state: 'deferred', attempts: 1, claimed_by: null, email });
      expect(first!.smtp_response).toBe('421 4.3.2 Busy');
      const wait = Date.parse(first!.next_attempt_at) - Date.parse(first!.claimed_at!);
      expect(wait).toBeGreaterThanOrEqual(1000);
      expect(Date.parse(first!.next_attempt_at)).toBeGreaterThan(Date.now());
      const progress = await getDispatchProgress(people.vera, s.dispatch!.id, ctx.deps);
      expect(progress).toMatchObject({ state: 'running', counts: { deferred: 1 } });

      expect(await worker.runOnce()).toBe(0);
      expect(smtp.attempts(email)).toBe(1);

      await new Promise((resolve) =>
        setTimeout(resolve, Date.parse(first!.next_attempt_at) - Date.now() + 10),
      );
      expect(await worker.runOnce()).toBe(1);
      const [second] = await deliveriesOf(ctx, s.dispatch!.id);
      expect(second).toMatchObject({ state: 'sent', attempts: 2 });
      expect(smtp.received.get(email)).toBe(1);
      // The next pass sees nothing open and completes the dispatch.
      expect(await worker.runOnce()).toBe(0);
      const final = await getDispatchProgress(people.vera, s.dispatch!.id, ctx.deps);
      expect(final.state).toBe('completed');
    } finally {
      transport.close();
    }
  });

  it('sends the approved snapshot when the notice changed behind the service, and nothing when the snapshot did', async () => {
    const s = await buildScenario(ctx, people, { customers: 60, until: 'dispatched' });
    const id = s.dispatch!.id;
    // The service refuses an edit while the notice is being sent…
    const view = await getNotice(people.joost, s.noticeId, ctx.deps);
    const nl = view.texts.nl!;
    const texts = { ...view.texts, nl: { ...nl, body: `${nl.body}\nNieuwe zin.` } };
    await expect(updateNotice(people.joost, s.noticeId, { texts }, ctx.deps)).rejects.toThrow(
      /is being sent/,
    );
    // …and should the approved snapshot itself be altered behind the service's back, nothing
    // goes out: it no longer matches the hash the approver signed.
    const approval = await ctx.database.db
      .selectFrom('notice_approvals')
      .selectAll()
      .where('notice_id', '=', s.noticeId)
      .executeTakeFirstOrThrow();
    const original =
      typeof approval.snapshot === 'string' ? approval.snapshot : JSON.stringify(approval.snapshot);
    await ctx.database.db
      .updateTable('notice_approvals')
      .set({ snapshot: original.replace('Beste ', 'Hallo ') })
      .where('id', '=', approval.id)
      .execute();
    const smtp = await startSmtpPeer({ keepMessages: true });
    peers.push(smtp);
    const log: string[] = [];
    const { worker, transport } = makeWorker(ctx, smtp.url, {
      log: (message, fields) => log.push(`${message} ${JSON.stringify(fields)}`),
    });
    try {
      for (let i = 0; i < 3; i++) expect(await worker.runOnce()).toBe(0);
      expect(log.join('\n')).toMatch(/no longer matches the approved content/);
      expect(smtp.stats().connections).toBe(0);
      // Nothing was claimed, so nothing is stranded.
      const rows = await deliveriesOf(ctx, id);
      expect(rows.filter((d) => d.state !== 'queued' || d.attempts !== 0)).toEqual([]);

      // The notice's own text changed behind the service's back: the snapshot still goes out.
      await ctx.database.db
        .updateTable('notice_approvals')
        .set({ snapshot: original })
        .where('id', '=', approval.id)
        .execute();
      await ctx.database.db
        .updateTable('notice_texts')
        .set({ body: `${nl.body}\nNieuwe zin.` })
        .where('notice_id', '=', s.noticeId)
        .where('language', '=', 'nl')
        .execute();
      await ctx.database.db
        .updateTable('notices')
        .set({ content_hash: 'f'.repeat(64) })
        .where('id', '=', s.noticeId)
        .execute();
      const { worker: second, transport: t2 } = makeWorker(ctx, smtp.url);
      try {
        while ((await second.runOnce()) > 0);
      } finally {
        t2.close();
      }
    } finally {
      transport.close();
    }
    expect(smtp.messages.length).toBe(60);
    expect(
      smtp.messages.some((m) => m.raw.toString().replace(/=\r\n/g, '').includes('Nieuwe zin')),
    ).toBe(false);
    const cancelled = await controlDispatch(people.sanne, id, 'cancel', ctx.deps).catch(() => null);
    expect(cancelled).toBeNull(); // completed: nothing left to cancel
  });

  it('cancels, not requeues, what a dead worker held when its dispatch was cancelled', async () => {
    const s = await buildScenario(ctx, people, { customers: 10, until: 'dispatched' });
    const id = s.dispatch!.id;
    // A worker claims five, the dispatch is cancelled, and the worker dies unrecorded.
    const { db, dialect } = ctx.database;
    const now = new Date().toISOString();
    await db.transaction().execute((tx) => claimDeliveries(tx, dialect, id, 'gone:1:x', 5, now));
    const cancelled = await controlDispatch(people.sanne, id, 'cancel', ctx.deps);
    expect(cancelled.counts).toMatchObject({ cancelled: 5, sending: 5 });
    const smtp = await startSmtpPeer();
    peers.push(smtp);
    // A starting worker recovers the orphans of workers without a heartbeat.
    const { worker, transport } = makeWorker(ctx, smtp.url);
    await worker.start();
    await worker.stop();
    transport.close();
    const progress = await getDispatchProgress(people.vera, id, ctx.deps);
    expect(progress).toMatchObject({ state: 'cancelled', done: 10 });
    expect(progress.counts).toMatchObject({ cancelled: 10, queued: 0, sending: 0 });
    expect(smtp.stats().connections).toBe(0);
  });
});
