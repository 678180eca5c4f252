import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuestionDeps } from '../../src/services/recipients/question.service.js';
import { readJson, jsonObject } from '../../src/store/executor.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';
import { buildPageApp } from '../personal-page/page-app.js';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import { QUESTION_CUSTOMERS, flat, questionNonce } from './question-support.js';

describe.each(DIALECTS)('asking a question on the personal page on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let app: FastifyInstance;
  let recall: RecallCase;
  const tokenOf = (id: string) => recall.recipients.get(id)!.token;
  const recipientId = (id: string) => recall.recipients.get(id)!.id;
  const ask = (
    id: string,
    form: Record<string, string>,
    remoteAddress = '198.51.100.7',
    headers: Record<string, string> = {},
  ) =>
    app.inject({
      method: 'POST',
      url: `/n/${tokenOf(id)}/questions`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(form).toString(),
      remoteAddress,
    });
  const nonceFor = async (id: string) =>
    questionNonce((await app.inject({ url: `/n/${tokenOf(id)}` })).body);
  const questionsOf = (id: string) =>
    ctx.database.db
      .selectFrom('questions')
      .selectAll()
      .where('recipient_id', '=', recipientId(id))
      .orderBy('id')
      .execute();

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    recall = await createRecallCase(ctx, QUESTION_CUSTOMERS);
    // A smaller limit than the default, carried by the deps the app's routes use.
    Object.assign(ctx.deps, {
      questionLimits: { perRecipient: 3, perAddress: 4, windowMs: 24 * 3_600_000 },
    } satisfies Pick<QuestionDeps, 'questionLimits'>);
    app = await buildPageApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('takes a plain-text question, confirms it after the redirect and lists it escaped', async () => {
    const page = await app.inject({ url: `/n/${tokenOf('Q-NL')}` });
    expect(flat(page.body)).toContain('<h2 id="questions-heading">Stel ons een vraag</h2>');
    const text = 'Moet ik ook mijn <b>wachtwoord</b> wijzigen?\r\nEn mijn API-sleutel?';
    const res = await ask('Q-NL', { nonce: questionNonce(page.body), question: text });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/n/${tokenOf('Q-NL')}?asked=1#questions`);
    const after = flat((await app.inject({ url: res.headers.location as string })).body);
    expect(after).toContain('Uw vraag is verstuurd.');
    expect(after).toContain(
      'Moet ik ook mijn &lt;b&gt;wachtwoord&lt;/b&gt; wijzigen?<br />En mijn API-sleutel?',
    );
    expect(after).not.toContain('<b>wachtwoord');
    expect(after).toContain('Wacht op antwoord');
    // The plain page shows no confirmation.
    expect(flat((await app.inject({ url: `/n/${tokenOf('Q-NL')}` })).body)).not.toContain(
      'Uw vraag is verstuurd.',
    );

    const [stored] = await questionsOf('Q-NL');
    expect(stored).toMatchObject({
      body: 'Moet ik ook mijn <b>wachtwoord</b> wijzigen?\nEn mijn API-sleutel?',
      state: 'open',
      language: 'nl',
      case_id: recall.caseId,
    });
    // The client address is kept only as a keyed hash.
    expect(stored!.client_hash).not.toContain('198.51.100.7');

    const audit = await ctx.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'question.ask')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'recipient:Q-NL', source: '198.51.100.7' });
    expect(JSON.stringify(audit[0])).not.toContain('wachtwoord');

    // One webhook event, naming the question and not its words.
    const events = await ctx.database.db
      .selectFrom('recall_events')
      .selectAll()
      .where('kind', '=', 'question.received')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ case_id: recall.caseId, recipient_id: recipientId('Q-NL') });
    expect(readJson(events[0]!.data, jsonObject)).toEqual({ questionId: Number(stored!.id) });
  });

  it('refuses a text too long or with control characters, naming the field, storing nothing', async () => {
    const nonce = await nonceFor('Q-EN');
    const long = await ask('Q-EN', { nonce, question: 'a'.repeat(2001) });
    expect(long.statusCode).toBe(400);
    const longPage = flat(long.body);
    expect(longPage).toContain(
      'Your question is too long: 2,001 characters. The maximum is 2,000 characters.',
    );
    expect(longPage).toContain('aria-invalid="true"');
    // The text comes back in the box to be shortened.
    expect(longPage).toContain('a'.repeat(2001));

    const bell = await ask('Q-EN', { nonce, question: 'Is my\u0007 site safe?' });
    expect(bell.statusCode).toBe(400);
    const bellPage = flat(bell.body);
    expect(bellPage).toContain(
      'Your question contained an invisible control character (U+0007, character 6).',
    );
    expect(bellPage).toContain('Is my site safe?</textarea');

    const empty = await ask('Q-EN', { nonce, question: '  \n ' });
    expect(empty.statusCode).toBe(400);
    expect(flat(empty.body)).toContain('Your question is empty.');

    expect(await questionsOf('Q-EN')).toHaveLength(0);
    const events = await ctx.database.db
      .selectFrom('recall_events')
      .select('id')
      .where('recipient_id', '=', recipientId('Q-EN'))
      .where('kind', '=', 'question.received')
      .execute();
    expect(events).toHaveLength(0);
  });

  it('refuses a missing, forged or other-page nonce and a cross-site post', async () => {
    const other = await nonceFor('Q-NL');
    const own = await nonceFor('Q-CSRF');
    const forms: Record<string, string>[] = [
      { question: 'zonder nonce' },
      { nonce: 'x'.repeat(43), question: 'vervalst' },
      // The nonce of another recipient's page.
      { nonce: other, question: 'van een andere pagina' },
    ];
    for (const form of forms) {
      const res = await ask('Q-CSRF', form);
      expect(res.statusCode).toBe(403);
    }
    // The acknowledge form's nonce does not post a question.
    const page = (await app.inject({ url: `/n/${tokenOf('Q-CSRF')}` })).body;
    const ackNonce =
      /action="[^"]+\/acknowledge"><input type="hidden" name="nonce" value="([^"]+)"/.exec(
        flat(page),
      )![1]!;
    expect((await ask('Q-CSRF', { nonce: ackNonce, question: 'ack' })).statusCode).toBe(403);
    const cross = await ask('Q-CSRF', { nonce: own, question: 'cross' }, '198.51.100.7', {
      'sec-fetch-site': 'cross-site',
    });
    expect(cross.statusCode).toBe(403);
    expect(await questionsOf('Q-CSRF')).toHaveLength(0);
    // The page's own nonce works.
    expect((await ask('Q-CSRF', { nonce: own, question: 'echt' })).statusCode).toBe(303);
  });

  it('limits questions per recipient and says from when they may ask again', async () => {
    const nonce = await nonceFor('Q-MANY');
    for (let i = 1; i <= 3; i++) {
      const res = await ask('Q-MANY', { nonce, question: `Vraag ${i}` }, `203.0.113.${i}`);
      expect(res.statusCode).toBe(303);
    }
    const first = (await questionsOf('Q-MANY'))[0]!;
    const fourth = await ask('Q-MANY', { nonce, question: 'Vraag 4' }, '203.0.113.99');
    expect(fourth.statusCode).toBe(429);
    const retry = Number(fourth.headers['retry-after']);
    expect(retry).toBeGreaterThan(24 * 3600 - 120);
    expect(retry).toBeLessThanOrEqual(24 * 3600);
    const page = flat(fourth.body);
    expect(page).toContain('U hebt vandaag al het maximale aantal vragen gesteld.');
    // The moment the oldest question leaves the window, in the reader's zone.
    const again = new Date(Date.parse(first.asked_at) + 24 * 3_600_000);
    const shown = new Intl.DateTimeFormat('nl-NL', {
      timeZone: 'Europe/Amsterdam',
      hour: '2-digit',
      minute: '2-digit',
    }).format(again);
    expect(page).toMatch(new RegExp(`U kunt weer een vraag stellen vanaf [^<]*${shown}`));
    expect(page).toContain('Vraag 4</textarea');
    expect(await questionsOf('Q-MANY')).toHaveLength(3);
  });

  it('limits questions per client address across recipients', async () => {
    const address = '192.0.2.55';
    const ids = ['Q-A1', 'Q-A2', 'Q-A3'];
    let sent = 0;
    for (const id of ids) {
      const nonce = await nonceFor(id);
      for (let i = 0; i < 2 && sent < 4; i++, sent++) {
        expect((await ask(id, { nonce, question: `Vraag ${sent}` }, address)).statusCode).toBe(303);
      }
    }
    const nonce = await nonceFor('Q-A3');
    const refused = await ask('Q-A3', { nonce, question: 'Nog een' }, address);
    expect(refused.statusCode).toBe(429);
    expect(flat(refused.body)).toContain(
      'Vanaf uw internetadres zijn vandaag te veel vragen gesteld. U kunt weer een vraag stellen vanaf',
    );
    // The same recipient from another address is still welcome.
    expect((await ask('Q-A3', { nonce, question: 'Nog een' }, '192.0.2.56')).statusCode).toBe(303);
  });
});
