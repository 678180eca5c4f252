import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { deliveryIdFromMessageId } from '../../src/domain/delivery.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../src/domain/errors.js';
import { importAffected, setAffectedFilter } from '../../src/services/cases/affected.service.js';
import { importCustomers } from '../../src/services/customers/customer-import.service.js';
import { controlDispatch, startDispatch } from '../../src/services/dispatch/dispatch.service.js';
import {
  approveNotice,
  createNotice,
  getNotice,
  updateNotice,
} from '../../src/services/notices/notice.service.js';
import { createDispatchRenderer } from '../../src/services/dispatch/dispatch-renderer.js';
import { referenceCode } from '../../src/lib/reference-code.js';
import { hashToken } from '../../src/lib/secrets.js';
import { createUser } from '../../src/services/access/user.service.js';
import { DispatchWorker } from '../../src/dispatch/dispatch-worker.js';
import { claimDeliveries } from '../../src/store/delivery-queue.repository.js';
import { createTransport } from '../../src/dispatch/worker-wiring.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import {
  affectedCsv,
  buildScenario,
  createDispatchContext,
  createPeople,
  deliveriesOf,
  runWorker,
  waitForDispatch,
  type DispatchTestContext,
  type People,
} from './scenario.js';

describe.each(DIALECTS)('dispatch flow on %s', (dialect) => {
  let ctx: DispatchTestContext;
  let people: People;
  const peers: SmtpPeer[] = [];
  const peer = async (options?: Parameters<typeof startSmtpPeer>[0]) => {
    const p = await startSmtpPeer(options);
    peers.push(p);
    return p;
  };

  beforeAll(async () => {
    ctx = await createDispatchContext(dialect);
    people = await createPeople(ctx);
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await ctx.close();
  });

  it('enforces approval in the service: roles, four eyes, the exact approved version', async () => {
    const s = await buildScenario(ctx, people, { customers: 5, until: 'notice' });
    const { joost, fatima, sanne, vera } = people;
    // Nobody can dispatch a notice that was never approved.
    await expect(startDispatch(sanne, s.noticeId, ctx.deps)).rejects.toThrow(
      /has not been approved/,
    );
    // Only approvers approve; a communicator cannot, even for someone else's text.
    await expect(approveNotice(joost, s.noticeId, {}, ctx.deps)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    // Four eyes: an approver who also wrote part of the notice cannot sign it off.
    const { user } = await createUser(
      people.admin,
      {
        username: `anouk-${dialect}`,
        roles: ['communicator', 'approver'],
        password: 'x'.repeat(12),
      },
      ctx.deps,
    );
    const anouk = { ...joost, userId: user.id, name: user.username, roles: user.roles };
    const own = await createNotice(anouk, s.caseId, {}, ctx.deps);
    await expect(approveNotice(anouk, own.id, {}, ctx.deps)).rejects.toThrow(/four-eyes rule/);

    const approved = await approveNotice(fatima, s.noticeId, {}, ctx.deps);
    expect(approved.notice).toMatchObject({ status: 'approved', approvedBy: 'fatima' });
    // A viewer and a communicator may not start a dispatch, approved or not.
    for (const actor of [vera, joost]) {
      await expect(startDispatch(actor, s.noticeId, ctx.deps)).rejects.toBeInstanceOf(
        ForbiddenError,
      );
    }
    // An edit after approval voids it: the edited text cannot go out.
    const texts = approved.notice.texts;
    const en = texts.en!;
    await updateNotice(
      joost,
      s.noticeId,
      { texts: { ...texts, en: { ...en, body: `${en.body}\nP.S. one more line.` } } },
      ctx.deps,
    );
    expect((await getNotice(vera, s.noticeId, ctx.deps)).status).toBe('changed-since-approval');
    await expect(startDispatch(sanne, s.noticeId, ctx.deps)).rejects.toThrow(
      /approval was voided \(notice text \(en\) changed/,
    );
    const dispatches = await ctx.database.db
      .selectFrom('dispatches')
      .select('id')
      .where('notice_id', '=', s.noticeId)
      .execute();
    expect(dispatches).toEqual([]);
  });

  it('refuses approval while a required placeholder is empty for some recipients', async () => {
    const s = await buildScenario(ctx, people, { customers: 10, until: 'notice' });
    const view = await getNotice(people.joost, s.noticeId, ctx.deps);
    const texts = Object.fromEntries(
      Object.entries(view.texts).map(([language, t]) => [
        language,
        { ...t, body: `${t.body}\n\nTicket: {{ impact.ticket }}` },
      ]),
    );
    await updateNotice(people.joost, s.noticeId, { texts }, ctx.deps);
    // Seven of the ten get a ticket number; three would get a blank.
    const rows = s.customers.slice(0, 7).map((c, i) => `${c.external_id},T-${i}\n`);
    await importAffected(
      people.sanne,
      s.caseId,
      Readable.from([`external_id,ticket\n${rows.join('')}`]),
      { source: 'test' },
      ctx.deps,
    );
    const refusal = await approveNotice(people.fatima, s.noticeId, {}, ctx.deps).catch(
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(ValidationError);
    const messages = (refusal as ValidationError).errors.map((e) => e.message).join('\n');
    expect(messages).toMatch(/`\{\{ impact\.ticket \}\}` is empty for 3 of 10 recipients/);
    expect((await getNotice(people.vera, s.noticeId, ctx.deps)).status).toBe('draft');
  });

  it('sends every recipient one personal message, in their language, and freezes the set', async () => {
    const smtp = await peer({ keepMessages: true });
    const s = await buildScenario(ctx, people, { customers: 30, until: 'approved' });
    // One affected customer without an email address: frozen, but no delivery.
    await importCustomers(
      systemActor(),
      Readable.from([`external_id,name,language\nNOMAIL-${dialect},Mr. Nomail,nl\n`]),
      { source: 'test' },
      ctx.deps,
    );
    await importAffected(
      people.sanne,
      s.caseId,
      Readable.from([`external_id,data\nNOMAIL-${dialect},letters\n`]),
      { source: 'test' },
      ctx.deps,
    );
    const started = await startDispatch(people.sanne, s.noticeId, ctx.deps);
    expect(started).toMatchObject({ state: 'running', total: 30 });
    const deliveries = await deliveriesOf(ctx, started.id);
    expect(deliveries).toHaveLength(30);
    expect(new Set(deliveries.map((d) => d.recipient_id)).size).toBe(30);
    expect(new Set(deliveries.map((d) => d.email))).toEqual(
      new Set(s.customers.map((c) => c.email)),
    );
    // The store itself refuses a second delivery for the same recipient of a dispatch.
    const [first] = deliveries;
    await expect(
      ctx.database.db
        .insertInto('deliveries')
        .values({ ...first!, id: undefined, message_id: '<dup@test>' })
        .execute(),
    ).rejects.toThrow(/unique/i);

    // Frozen: a registry change after the first dispatch changes nobody's notice.
    const victim = s.customers[0]!;
    const before = await recipientsOf(s.caseId);
    await importCustomers(
      systemActor(),
      Readable.from([`external_id,email,name\n${victim.external_id},new@example.org,Renamed\n`]),
      { source: 'test' },
      ctx.deps,
    );
    expect(await recipientsOf(s.caseId)).toEqual(before);
    await expect(
      importAffected(
        people.sanne,
        s.caseId,
        Readable.from([affectedCsv(s.customers)]),
        { source: 'test' },
        ctx.deps,
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      setAffectedFilter(people.sanne, s.caseId, 'plan = "vps"', ctx.deps),
    ).rejects.toBeInstanceOf(ConflictError);

    const worker = await runWorker(ctx, smtp.url);
    const done = await waitForDispatch(ctx, started.id).finally(() => worker.stop());
    expect(smtp.stats()).toMatchObject({ deliveries: 30, recipients: 30, duplicates: 0 });
    for (const c of s.customers) expect(smtp.received.get(c.email)).toBe(1);
    expect(smtp.received.has('new@example.org')).toBe(false);

    // Progress adds up, the dispatch is complete and the case is telling its customers.
    expect(done.counts).toMatchObject({ sent: 30, queued: 0, sending: 0, deferred: 0 });
    expect(Object.values(done.counts).reduce((a, b) => a + b, 0)).toBe(done.total);
    expect(done).toMatchObject({ state: 'completed', done: 30, total: 30 });
    expect(done.finishedAt).not.toBeNull();
    const kase = await ctx.database.db
      .selectFrom('cases')
      .select('state')
      .where('id', '=', s.caseId)
      .executeTakeFirstOrThrow();
    expect(kase.state).toBe('notifying');

    // Each message is personal: name, impact, the personal link, its own Message-ID.
    const recipients = new Map(before.map((r) => [r.id, r]));
    const byMessageId = new Map(smtp.messages.map((m) => [m.messageId, m]));
    for (const d of await deliveriesOf(ctx, started.id)) {
      expect(d).toMatchObject({ state: 'sent', attempts: 1, claimed_by: null });
      expect(d.smtp_response).toMatch(/^250/);
      const customer = s.customers.find((c) => c.email === d.email)!;
      const message = byMessageId.get(d.message_id);
      expect(message?.rcpt).toEqual([d.email]);
      const raw = message!.raw.toString('latin1');
      expect(raw).toMatch(/^Content-Type: multipart\/alternative; boundary=/m);
      const mail = await simpleParser(message!.raw);
      expect(mail.messageId).toBe(d.message_id);
      expect(mail.text).toContain(customer.name);
      expect(mail.html).toContain(s.impact.get(customer.external_id)!.data);
      expect(mail.text).toContain(s.impact.get(customer.external_id)!.data);
      const token = /\/n\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1] ?? '';
      expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
      expect(hashToken(token)).toBe(recipients.get(d.recipient_id)?.token_hash);
      // The personal page and the delivery's notice code come first, then the letter.
      const code = referenceCode(ctx.deps.secret, Number(d.id));
      if (customer.language === 'nl') {
        expect(mail.text).toMatch(
          new RegExp(
            `^Open uw persoonlijke pagina: \\S+/n/${token}\nBerichtcode: ${code}\n\nBeste `,
          ),
        );
        expect(mail.text).toContain('Wat is er gebeurd?');
      } else {
        expect(mail.text).toMatch(
          new RegExp(`^Open your personal page: \\S+/n/${token}\nNotice code: ${code}\n\nDear `),
        );
        expect(mail.text).toContain('What happened?');
      }
      expect(mail.html).toContain(code);
    }
    expect(s.customers.some((c) => c.language === 'nl')).toBe(true);
    expect(s.customers.some((c) => c.language === 'en')).toBe(true);

    // On record: who approved which version, who started which dispatch.
    const audit = await ctx.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor', 'object_id'])
      .where('action', 'in', ['notice.approve', 'dispatch.start'])
      .execute();
    expect(audit).toContainEqual({
      action: 'notice.approve',
      actor: 'fatima',
      object_id: String(s.noticeId),
    });
    expect(audit).toContainEqual({
      action: 'dispatch.start',
      actor: 'sanne',
      object_id: String(started.id),
    });
  });

  it('sends a follow-up notice to the same frozen set; each Message-ID names its delivery', async () => {
    const smtp = await peer();
    const s = await buildScenario(ctx, people, { customers: 12, until: 'dispatched' });
    const worker = await runWorker(ctx, smtp.url);
    try {
      await waitForDispatch(ctx, s.dispatch!.id);
      const update = await createNotice(people.joost, s.caseId, {}, ctx.deps);
      await approveNotice(people.fatima, update.id, {}, ctx.deps);
      const second = await startDispatch(people.sanne, update.id, ctx.deps);
      worker.worker.nudge();
      await waitForDispatch(ctx, second.id);
      const [one, two] = [
        await deliveriesOf(ctx, s.dispatch!.id),
        await deliveriesOf(ctx, second.id),
      ];
      expect(two.map((d) => d.recipient_id)).toEqual(one.map((d) => d.recipient_id));
      for (const d of [...one, ...two]) expect(deliveryIdFromMessageId(d.message_id)).toBe(d.id);
      expect(new Set([...one, ...two].map((d) => d.message_id)).size).toBe(24);
      for (const c of s.customers) expect(smtp.received.get(c.email)).toBe(2);
    } finally {
      await worker.stop();
    }
  });

  it('pause stops claiming, resume continues; each recipient still gets one message', async () => {
    // A slow peer and small batches, so the dispatch is still busy when paused.
    const smtp = await peer({
      faults: ({ stage }) => (stage === 'data' ? { delayMs: 15 } : undefined),
    });
    const s = await buildScenario(ctx, people, { customers: 80, until: 'dispatched' });
    const id = s.dispatch!.id;
    const worker = await runWorker(ctx, smtp.url, { inFlight: 4 });
    try {
      await smtp.waitFor(8, 10_000);
      await control(id, 'pause');
      // Batches already claimed finish; after that nothing new goes out. The pause waited
      // for claims in flight, so once nothing is sending, the peer has had every message.
      const paused = await waitForDispatch(ctx, id, (p) => p.counts.sending === 0);
      expect(paused.state).toBe('paused');
      const sentWhilePausing = smtp.total();
      expect(paused.counts.sent).toBe(sentWhilePausing);
      expect(sentWhilePausing).toBeLessThan(80);
      expect(paused.counts.queued).toBe(80 - sentWhilePausing);
      // A claim now, beside the worker's own lanes, finds nothing to send.
      expect(await worker.worker.runOnce()).toBe(0);
      expect(smtp.total()).toBe(sentWhilePausing);
      await control(id, 'resume');
      worker.worker.nudge();
      const done = await waitForDispatch(ctx, id);
      expect(done.counts.sent).toBe(80);
    } finally {
      await worker.stop();
    }
    expect(smtp.stats()).toMatchObject({ deliveries: 80, recipients: 80, duplicates: 0 });
  });

  it('never claims from a dispatch paused after the worker saw it running', async () => {
    const smtp = await peer();
    const s = await buildScenario(ctx, people, { customers: 5, until: 'dispatched' });
    const transport = createTransport(ctx.config, smtp.url);
    // The pause lands between the worker's look at running dispatches and its claim.
    const worker = new DispatchWorker({
      database: ctx.database,
      transport,
      rendererFor: async (id) => {
        await control(id, 'pause');
        return createDispatchRenderer(id, ctx.deps);
      },
    });
    expect(await worker.runOnce()).toBe(0);
    transport.close();
    const rows = await deliveriesOf(ctx, s.dispatch!.id);
    expect(rows.map((d) => d.state)).toEqual(Array(5).fill('queued'));
    expect(smtp.total()).toBe(0);
    await control(s.dispatch!.id, 'cancel');
  });

  // PostgreSQL runs a claim and a pause side by side; SQLite has one writer, so the two are
  // serialised there by construction.
  it.runIf(dialect === 'postgres')(
    'a pause waits for a claim in flight, so what it reports afterwards includes that claim',
    async () => {
      const s = await buildScenario(ctx, people, { customers: 6, until: 'dispatched' });
      const id = s.dispatch!.id;
      const { db } = ctx.database;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let claimerPid = 0;
      let claimedCount = 0;
      const claimed = new Promise<void>((resolveClaimed) => {
        void db.transaction().execute(async (tx) => {
          const pid = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
          claimerPid = Number(pid.rows[0]!.pid);
          const now = new Date().toISOString();
          claimedCount = (await claimDeliveries(tx, 'postgres', id, 'w:1:race', 4, now)).length;
          resolveClaimed();
          await gate;
        });
      });
      await claimed;
      expect(claimedCount).toBe(4);
      // The claim is not committed yet. A pause now must wait for it: if it went through,
      // its report (nothing sending) would be overtaken by four messages going out after it.
      let paused = false;
      const pausing = control(id, 'pause').then((p) => ((paused = true), p));
      let blocked = false;
      while (!paused && !blocked) {
        const waiting = await sql<{ pid: number }>`select pid from pg_stat_activity
          where ${claimerPid} = any(pg_blocking_pids(pid))`.execute(db);
        blocked = waiting.rows.length > 0;
        if (!blocked) await new Promise((resolve) => setImmediate(resolve));
      }
      expect(paused).toBe(false);
      release();
      const progress = await pausing;
      expect(progress.state).toBe('paused');
      expect(progress.counts.sending).toBe(4);
      await control(id, 'cancel');
    },
  );

  it('cancel marks every open delivery cancelled and sends nothing more', async () => {
    const smtp = await peer({
      faults: ({ stage }) => (stage === 'data' ? { delayMs: 15 } : undefined),
    });
    const s = await buildScenario(ctx, people, { customers: 80, until: 'dispatched' });
    const id = s.dispatch!.id;
    const worker = await runWorker(ctx, smtp.url, { inFlight: 4 });
    let cancelled;
    try {
      await smtp.waitFor(8, 10_000);
      cancelled = await control(id, 'cancel');
      await waitForDispatch(ctx, id, (p) => p.counts.sending === 0);
      expect(await worker.worker.runOnce()).toBe(0);
    } finally {
      await worker.stop();
    }
    expect(cancelled.state).toBe('cancelled');
    const deliveries = await deliveriesOf(ctx, id);
    const states = new Set(deliveries.map((d) => d.state));
    expect([...states].sort()).toEqual(['cancelled', 'sent']);
    const sent = deliveries.filter((d) => d.state === 'sent');
    expect(smtp.total()).toBe(sent.length);
    for (const d of sent) expect(smtp.received.get(d.email)).toBe(1);
    const progress = await waitForDispatch(ctx, id, () => true);
    expect(progress.counts.cancelled + progress.counts.sent).toBe(80);
    expect(progress.finishedAt).not.toBeNull();
  });

  function control(id: number, action: 'pause' | 'resume' | 'cancel') {
    return controlDispatch(people.sanne, id, action, ctx.deps);
  }

  async function recipientsOf(caseId: number) {
    return ctx.database.db
      .selectFrom('case_recipients')
      .select(['id', 'external_id', 'email', 'name', 'impact', 'token_hash'])
      .where('case_id', '=', caseId)
      .orderBy('id')
      .execute();
  }
});
