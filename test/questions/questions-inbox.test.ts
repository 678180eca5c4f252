import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailTransport } from '../../src/channels/email/smtp-connection-pool.js';
import type { EmailTransport } from '../../src/channels/email/email-transport.js';
import { systemActor } from '../../src/domain/access.js';
import { inboxCounts } from '../../src/services/recipients/question.service.js';
import {
  runQuestionReplyRound,
  sendDueQuestionReplies,
} from '../../src/services/recipients/question-reply-sender.service.js';
import { createApiToken } from '../../src/services/access/user.service.js';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';
import {
  QUESTION_CUSTOMERS,
  completeRemedy,
  flat,
  insertRemedy,
  questionNonce,
} from './question-support.js';

describe.each(DIALECTS)('the questions inbox on %s', (dialect) => {
  let h: WorkspaceHarness;
  let recall: RecallCase;
  let peer: SmtpPeer;
  let transport: EmailTransport;
  let joost: string;
  let vera: string;
  let apiToken: string;
  const inbox = () => `/app/cases/${recall.reference}/questions`;
  const tokenOf = (id: string) => recall.recipients.get(id)!.token;
  const db = () => h.ctx.database.db;

  /** Asks on the personal page like a customer; returns the question's id. */
  const ask = async (id: string, text: string, address = '198.51.100.30') => {
    const page = await h.app.inject({ url: `/n/${tokenOf(id)}` });
    const res = await h.app.inject({
      method: 'POST',
      url: `/n/${tokenOf(id)}/questions`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ nonce: questionNonce(page.body), question: text }).toString(),
      remoteAddress: address,
    });
    expect(res.statusCode).toBe(303);
    const row = await db()
      .selectFrom('questions')
      .select('id')
      .where('recipient_id', '=', recall.recipients.get(id)!.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  };
  const senderDeps = () => ({ ...h.ctx.deps, transport });

  beforeAll(async () => {
    h = await createHarness(dialect);
    await h.addUser('joost', ['communicator']);
    await h.addUser('vera', ['viewer']);
    joost = await h.login('joost');
    vera = await h.login('vera');
    apiToken = (
      await createApiToken(systemActor('test'), 'joost', { label: 'ticket system' }, h.ctx.deps)
    ).token;
    recall = await createRecallCase(h.ctx, QUESTION_CUSTOMERS);
    peer = await startSmtpPeer({ keepMessages: true });
    transport = createEmailTransport({ url: peer.url, maxConnections: 2 });
    // What the dispatch and remedies machinery would have recorded by now.
    await db()
      .updateTable('deliveries')
      .set({ state: 'sent', sent_at: '2026-12-07T09:00:00.000Z' })
      .where('recipient_id', '=', recall.recipients.get('Q-EN')!.id)
      .execute();
    await db()
      .updateTable('case_recipients')
      .set({ acknowledged_at: '2026-12-07T09:30:00.000Z' })
      .where('id', '=', recall.recipients.get('Q-EN')!.id)
      .execute();
    const plugin = await insertRemedy(db(), recall.caseId, {
      key: 'update-plugin',
      position: 1,
      titles: { nl: 'Werk de plugin bij', en: 'Update the plugin' },
    });
    await insertRemedy(db(), recall.caseId, {
      key: 'rotate-key',
      position: 2,
      titles: { nl: 'Vervang uw API-sleutel', en: 'Rotate your API key' },
    });
    await completeRemedy(db(), plugin, recall.recipients.get('Q-EN')!.id, '2026-12-07T10:00:00Z');
  });
  afterAll(async () => {
    transport.close();
    await peer.close();
    await h.close();
  });

  it("shows a question with the customer's notice, deliveries, impact, reading and remedies", async () => {
    await ask('Q-EN', 'Do I need to <rotate> my key too?\nThanks');
    const res = await h.get(inbox(), vera);
    expect(res.statusCode).toBe(200);
    const page = flat(res.body);
    expect(page).toContain('Do I need to &lt;rotate&gt; my key too?<br />Thanks');
    expect(page).toContain('John Smith <span class="muted">(Q-EN)</span>');
    expect(page).toContain('<dd>Q-EN · John Smith · en</dd>');
    expect(page).toMatch(
      /notice to affected customers \(verzending \d+\): <strong ?>verzonden<\/strong ?>, 7 dec 2026, 10:00/,
    );
    expect(page).toContain('servers: web12');
    expect(page).toContain('<dt>Gelezen</dt><dd> 7 dec 2026, 10:30 CET </dd>');
    expect(page).toMatch(/Update the plugin: <strong>gedaan<\/strong ?>, 7 dec 2026, 11:00/);
    expect(page).toMatch(/Rotate your API key: <strong>nog niet gedaan<\/strong ?>/);
    // A viewer reads but cannot answer.
    expect(page).toContain('U kunt vragen lezen maar niet beantwoorden.');
    expect(page).not.toContain('name="reply"');
    const id = await db().selectFrom('questions').select('id').executeTakeFirstOrThrow();
    const forced = await h.post(`${inbox()}/${id.id}/reply`, { reply: 'Ja' }, vera);
    expect(forced.statusCode).toBe(403);
    expect(await db().selectFrom('question_replies').select('id').execute()).toHaveLength(0);
  });

  it('sends a reply once, in the customer language, with the personal link, even with two senders', async () => {
    const id = await ask('Q-EN', 'And my invoices?');
    const tooLong = await h.post(`${inbox()}/${id}/reply`, { reply: 'x'.repeat(10_001) }, joost);
    expect(tooLong.statusCode).toBe(400);
    expect(flat(tooLong.body)).toContain('Het antwoord is te lang: 10001 tekens, hoogstens 10000.');

    const res = await h.post(
      `${inbox()}/${id}/reply`,
      { reply: 'Yes: rotate it.\nYour invoices were <not> affected.' },
      joost,
    );
    expect(res.statusCode).toBe(303);
    const question = await db()
      .selectFrom('questions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(question).toMatchObject({ state: 'answered', answered_by: 'joost' });

    // Two processes' senders at once: each claims before sending, so one mail goes out.
    const [a, b] = await Promise.all([
      sendDueQuestionReplies(senderDeps(), 'process-a'),
      sendDueQuestionReplies(senderDeps(), 'process-b'),
    ]);
    expect(a + b).toBe(1);
    await Promise.all([
      runQuestionReplyRound(senderDeps(), 'process-a'),
      runQuestionReplyRound(senderDeps(), 'process-b'),
    ]);
    const mails = peer.messages.filter((m) => m.rcpt.includes('john@smith.example'));
    expect(mails).toHaveLength(1);
    const reply = await db()
      .selectFrom('question_replies')
      .selectAll()
      .where('question_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(reply).toMatchObject({ state: 'sent', attempts: 1, email: 'john@smith.example' });
    expect(reply.sent_at).toMatch(/^\d{4}-/);
    expect(`<${reply.message_id}>`).toBe(mails[0]!.messageId);

    const mail = await simpleParser(mails[0]!.raw);
    expect(mail.subject).toBe(`Answer to your question (${recall.reference})`);
    const link = `${h.ctx.deps.publicUrl}/n/${tokenOf('Q-EN')}`;
    expect(mail.text).toContain('Dear John Smith,');
    expect(mail.text).toContain('Yes: rotate it.\nYour invoices were <not> affected.');
    expect(mail.text).toContain('> And my invoices?');
    expect(mail.text).toContain(link);
    expect(mail.html).toContain('Your invoices were &lt;not&gt; affected.');
    expect(mail.html).not.toContain('<not>');
    expect(mail.html).toContain(`href="${link}"`);

    // The customer reads the answer on their page too.
    const page = flat((await h.app.inject({ url: `/n/${tokenOf('Q-EN')}` })).body);
    expect(page).toContain('Yes: rotate it.<br />Your invoices were &lt;not&gt; affected.');
    expect(page).toContain('Answered');
    const audit = await db()
      .selectFrom('audit_events')
      .select(['actor', 'object_id'])
      .where('action', '=', 'question.reply')
      .execute();
    expect(audit).toEqual([{ actor: 'joost', object_id: String(id) }]);
  });

  it('replies in Dutch to a Dutch question, and closes one without a reply for a reason', async () => {
    const id = await ask('Q-NL', 'Moet ik iets doen?');
    const other = await ask('Q-NL', 'Dubbel: moet ik iets doen?');
    expect((await h.post(`${inbox()}/${id}/reply`, { reply: 'Nee.' }, joost)).statusCode).toBe(303);
    await sendDueQuestionReplies(senderDeps(), 'w1');
    const [mail] = peer.messages.filter((m) => m.rcpt.includes('marieke@bakkerij-jansen.example'));
    const parsed = await simpleParser(mail!.raw);
    expect(parsed.subject).toBe(`Antwoord op uw vraag (${recall.reference})`);
    expect(parsed.text).toContain('Beste Marieke Jansen,');
    expect(parsed.text).toContain(`${h.ctx.deps.publicUrl}/n/${tokenOf('Q-NL')}`);

    const empty = await h.post(`${inbox()}/${other}/close`, { reason: ' ' }, joost);
    expect(empty.statusCode).toBe(400);
    expect(flat(empty.body)).toContain('De reden is leeg.');
    const closed = await h.post(`${inbox()}/${other}/close`, { reason: 'Dubbele vraag' }, joost);
    expect(closed.statusCode).toBe(303);
    const row = await db()
      .selectFrom('questions')
      .selectAll()
      .where('id', '=', other)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      state: 'closed',
      closed_by: 'joost',
      close_reason: 'Dubbele vraag',
    });
    // A closed question takes no reply.
    const late = await h.post(`${inbox()}/${other}/reply`, { reply: 'Toch nog' }, joost);
    expect(late.statusCode).toBe(400);
    expect(flat(late.body)).toContain('Deze vraag is gesloten; er kan geen antwoord meer bij.');
  });

  it('counts open and answered questions and the median time to answer, on the overview too', async () => {
    const { caseId } = recall;
    // Three answered questions with known times to answer: 1 h, 2 h and 6 h.
    const hour = 3_600_000;
    const answered = await db()
      .selectFrom('questions')
      .select('id')
      .where('case_id', '=', caseId)
      .where('state', '=', 'answered')
      .orderBy('id')
      .execute();
    const extra = await ask('Q-CSRF', 'Nog een vraag');
    await h.post(`${inbox()}/${extra}/reply`, { reply: 'Antwoord' }, joost);
    const ids = [...answered.map((a) => Number(a.id)), extra];
    expect(ids).toHaveLength(3);
    for (const [i, id] of ids.entries()) {
      const asked = Date.parse('2026-12-07T08:00:00Z');
      await db()
        .updateTable('questions')
        .set({
          asked_at: new Date(asked).toISOString(),
          answered_at: new Date(asked + [1, 2, 6][i]! * hour).toISOString(),
        })
        .where('id', '=', id)
        .execute();
    }
    const counts = await inboxCounts(db(), caseId);
    // Open: the first EN question (the other open ones were answered or closed).
    expect(counts).toEqual({ open: 1, answered: 3, closed: 1, medianAnswerMs: 2 * hour });
    const overview = flat((await h.get(`/app/cases/${recall.reference}`, vera)).body);
    expect(overview).toContain('<h2 id="questions-heading">Vragen van klanten</h2>');
    expect(overview).toContain('<dt>Open</dt><dd>1</dd><dt>Beantwoord</dt><dd>3</dd>');
    expect(overview).toContain('<dt>Mediane tijd tot antwoord</dt><dd> 2 u 0 min </dd>');
    const tab = flat((await h.get(`${inbox()}?show=open`, vera)).body);
    expect(tab.match(/class="card question-item"/g)).toHaveLength(1);
  });

  it('lists and answers questions through the API for a ticket system', async () => {
    const auth = { authorization: `Bearer ${apiToken}` };
    const list = await h.app.inject({
      url: `/api/v1/cases/${recall.reference}/questions?state=open`,
      headers: auth,
    });
    expect(list.statusCode).toBe(200);
    const body = list.json<{
      questions: { id: number; customer: { externalId: string }; remedies: unknown[] }[];
    }>();
    expect(body.questions).toHaveLength(1);
    expect(body.questions[0]!.customer.externalId).toBe('Q-EN');
    expect(body.questions[0]!.remedies).toHaveLength(2);
    const id = body.questions[0]!.id;
    const bad = await h.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${recall.reference}/questions/${id}/reply`,
      headers: auth,
      payload: { body: 'bell\u0007' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('reply: control character U+0007 at position 5');
    const ok = await h.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${recall.reference}/questions/${id}/reply`,
      headers: auth,
      payload: { body: 'Yes, please rotate it.' },
    });
    expect(ok.statusCode).toBe(202);
    expect(ok.json()).toMatchObject({ questionId: id, state: 'queued' });
    const after = await h.app.inject({
      url: `/api/v1/cases/${recall.reference}/questions?state=open`,
      headers: auth,
    });
    expect(after.json<{ questions: unknown[] }>().questions).toHaveLength(0);
  });
});
