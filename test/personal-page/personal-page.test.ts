import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceCode } from '../../src/lib/reference-code.js';
import { countResponses } from '../../src/store/recipient.repository.js';
import { readJson, jsonObject } from '../../src/store/executor.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';
import { buildPageApp } from './page-app.js';
import { createRecallCase, type RecallCase, type TestCustomer } from './recall-case.js';

const CUSTOMERS: TestCustomer[] = [
  {
    external_id: 'K-NL-1',
    email: 'marieke@bakkerij-jansen.example',
    name: 'Marieke Jansen',
    language: 'nl',
    impact: {
      data: 'naam, e-mailadres, facturen',
      domains: ['bakkerij-jansen.nl', 'jansenbrood.nl'],
      ticket_count: 3,
    },
  },
  {
    external_id: 'K-EN-1',
    email: 'john@smith.example',
    name: 'John Smith',
    language: 'en',
    impact: { data: 'name, email address', servers: 'web12' },
  },
  {
    external_id: 'K-XSS',
    email: 'x@evil.example',
    name: '<script>alert(1)</script>',
    language: 'nl',
    impact: { domains: '<img src=x onerror=alert(1)>' },
  },
  { external_id: 'K-ACK', email: 'ack@example.nl', name: 'Anna Ack', language: 'nl', impact: {} },
  {
    external_id: 'K-DONE',
    email: 'done@example.nl',
    name: 'Dirk Done',
    language: 'en',
    impact: {},
  },
  {
    external_id: 'K-CSRF',
    email: 'csrf@example.nl',
    name: 'Cees Csrf',
    language: 'nl',
    impact: {},
  },
  {
    external_id: 'K-REVOKED',
    email: 'rev@example.nl',
    name: 'Rob Revoked',
    language: 'nl',
    impact: {},
  },
  {
    external_id: 'K-GB-1',
    email: 'amelia@example.co.uk',
    name: 'Amelia Hughes',
    language: 'en',
    country: 'GB',
    impact: { software: 'Forms plugin', fixed_version: '2.4', deadline: '14 December 2026' },
  },
  {
    external_id: 'K-TZ',
    email: 'tim@example.nl',
    name: 'Tim Zone',
    language: 'nl',
    country: 'NL',
    attributes: { time_zone: 'America/New_York' },
    impact: {},
  },
  {
    external_id: 'K-LIMIT',
    email: 'limit@example.nl',
    name: 'Lies Limit',
    language: 'nl',
    impact: {},
  },
];

/** Markup with the formatting whitespace between tags gone, for readable assertions. */
function flat(page: string): string {
  return page.replace(/>\s+</g, '><').replace(/\s+/g, ' ');
}

/** The hidden nonce of one of the page's forms. */
function nonceOf(page: string, purpose: 'acknowledge' | 'done'): string {
  const match = new RegExp(
    `action="/n/[^"]+/${purpose}"><input type="hidden" name="nonce" value="([^"]+)"`,
  ).exec(flat(page));
  if (!match) throw new Error(`no ${purpose} form on the page`);
  return match[1]!;
}

describe.each(DIALECTS)('personal page on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let app: FastifyInstance;
  let recall: RecallCase;
  const tokenOf = (externalId: string) => recall.recipients.get(externalId)!.token;
  const recipientRow = (externalId: string) =>
    ctx.database.db
      .selectFrom('case_recipients')
      .selectAll()
      .where('case_id', '=', recall.caseId)
      .where('external_id', '=', externalId)
      .executeTakeFirstOrThrow();
  const post = (
    token: string,
    purpose: 'acknowledge' | 'done',
    body: Record<string, string>,
    headers: Record<string, string> = {},
    remoteAddress = '198.51.100.20',
  ) =>
    app.inject({
      method: 'POST',
      url: `/n/${token}/${purpose}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(body).toString(),
      remoteAddress,
    });

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    recall = await createRecallCase(ctx, CUSTOMERS);
    app = await buildPageApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('opens with the summary and both actions, then impact, steps as a plain list, contact', async () => {
    const res = await app.inject({ url: `/n/${tokenOf('K-NL-1')}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const page = flat(res.body);
    expect(page).toMatch(/^<!doctype html><html lang="nl">/);
    expect(page).toContain(
      '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    );
    // Three lines: the headline (the approved subject, not the internal case title), what
    // happened, what to do.
    expect(page).toContain(
      '<h1 id="title">Datalek bij Example Hosting B.V.: wat dit voor u betekent</h1>',
    );
    expect(page).not.toContain('Klantgegevens gekopieerd via een gestolen beheersleutel');
    expect(page).toContain(
      '<p class="lead">Een aanvaller heeft via een gestolen beheersleutel een deel van onze klantgegevens gekopieerd.</p>',
    );
    expect(page).toContain('<p class="todo"><strong>Wat u moet doen:</strong> Lees hieronder');
    // Then the two actions, before any of the detail.
    const read = page.indexOf('Ik heb dit gelezen</button>');
    const done = page.indexOf('Ik heb het gedaan</button>');
    expect(read).toBeGreaterThan(page.indexOf('<p class="todo">'));
    expect(done).toBeGreaterThan(read);
    expect(done).toBeLessThan(page.indexOf('<h2'));
    expect(page).toContain('Persoonlijke pagina voor Marieke Jansen (klantnummer K-NL-1)');
    expect(page).toContain(recall.reference);
    // Impact values, plainly: known keys with a label, lists joined, other keys as written.
    expect(page).toContain('<dt>Domeinen</dt><dd>bakkerij-jansen.nl, jansenbrood.nl</dd>');
    expect(page).toContain(
      '<dt>Uw gegevens die het betreft</dt><dd>naam, e-mailadres, facturen</dd>',
    );
    expect(page).toContain('<dt>Ticket count</dt><dd>3</dd>');
    // The steps are a plain numbered list: nothing to tick that would not be saved.
    expect(page).not.toContain('type="checkbox"');
    expect(page).toContain('<h2 id="todo-heading">Wat u moet doen</h2><ol><li>');
    expect(page).toContain('<a href="mailto:security@example.com">security@example.com</a>');
    expect(page).toContain('<dt>Functionaris gegevensbescherming</dt>');
    // No inline style attributes (the CSP forbids them), no script, no third-party asset.
    expect(page).not.toMatch(/ style="/);
    expect(page).not.toMatch(/<script|<img|<link|src=/i);
  });

  it('is a page of its own: no mail wording, no link to itself', async () => {
    for (const id of ['K-NL-1', 'K-EN-1']) {
      const page = (await app.inject({ url: `/n/${tokenOf(id)}` })).body;
      expect(page).not.toMatch(/\b(?:deze|this) (?:e-?)?mail\b/i);
      const links = [...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) {
        expect(link).not.toContain('/n/');
        expect(link).not.toContain(tokenOf(id));
      }
    }
  });

  it("shows times in the reader's own zone, named, and the code of the mail that reached them", async () => {
    const sentAt = '2026-12-07T14:05:00.000Z';
    const codes = new Map<string, string>();
    for (const id of ['K-GB-1', 'K-NL-1', 'K-TZ']) {
      // What the worker records when a server accepts the mail.
      await ctx.database.db
        .updateTable('deliveries')
        .set({ state: 'sent', sent_at: sentAt })
        .where('dispatch_id', '=', recall.dispatchId)
        .where('recipient_id', '=', recall.recipients.get(id)!.id)
        .execute();
      const delivery = await ctx.database.db
        .selectFrom('deliveries')
        .select('id')
        .where('dispatch_id', '=', recall.dispatchId)
        .where('recipient_id', '=', recall.recipients.get(id)!.id)
        .executeTakeFirstOrThrow();
      codes.set(id, referenceCode(ctx.deps.secret, Number(delivery.id)));
    }
    const gb = flat((await app.inject({ url: `/n/${tokenOf('K-GB-1')}` })).body);
    expect(gb).toContain(`Sent on <time datetime="${sentAt}">7 December 2026 at 14:05 GMT</time>`);
    expect(gb).toContain(`Notice code <span class="code">${codes.get('K-GB-1')}</span>`);
    expect(gb).toContain('<a href="/en/security/verify">our verification page</a>');
    // What to do, from the impact values when the notice has no steps of its own.
    expect(gb).toContain(
      '<strong>What you should do:</strong> Update Forms plugin to version 2.4 by 14 December 2026.',
    );
    const nl = flat((await app.inject({ url: `/n/${tokenOf('K-NL-1')}` })).body);
    expect(nl).toContain(
      `Verstuurd op <time datetime="${sentAt}">7 december 2026 om 15:05 CET</time>`,
    );
    expect(nl).toContain(`Berichtcode <span class="code">${codes.get('K-NL-1')}</span>`);
    // A time_zone attribute beats the country.
    const tz = flat((await app.inject({ url: `/n/${tokenOf('K-TZ')}` })).body);
    expect(tz).toContain('7 december 2026 om 09:05 EST</time>');

    const token = tokenOf('K-GB-1');
    const before = (await app.inject({ url: `/n/${token}` })).body;
    expect(
      (await post(token, 'acknowledge', { nonce: nonceOf(before, 'acknowledge') })).statusCode,
    ).toBe(303);
    const at = (await recipientRow('K-GB-1')).acknowledged_at!;
    const after = flat((await app.inject({ url: `/n/${token}` })).body);
    expect(after).toMatch(
      new RegExp(
        `You let us know on <time datetime="${at}">\\d{1,2} \\w+ \\d{4} at \\d\\d:\\d\\d (?:GMT|BST)</time>`,
      ),
    );
  });

  it('shows an English recipient the English notice and buttons', async () => {
    const res = await app.inject({ url: `/n/${tokenOf('K-EN-1')}` });
    expect(res.statusCode).toBe(200);
    const page = flat(res.body);
    expect(page).toMatch(/<html lang="en">/);
    expect(page).toContain('Personal page for John Smith (customer number K-EN-1)');
    expect(page).toContain('<h2 id="impact">What this means for you</h2>');
    expect(page).toContain('<dt>Servers</dt><dd>web12</dd>');
    expect(page).toContain('>I have read this</button>');
    expect(page).toContain('>I’ve done it</button>');
    expect(page).toContain('<h2 id="contact">Contact</h2>');
    expect(page).toContain('<dt>Data protection officer</dt>');
  });

  it('escapes every value: markup in a name or an impact value shows as text', async () => {
    const res = await app.inject({ url: `/n/${tokenOf('K-XSS')}` });
    expect(res.statusCode).toBe(200);
    const page = flat(res.body);
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('Persoonlijke pagina voor &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('<dd>&lt;img src=x onerror=alert(1)&gt;</dd>');
  });

  it('sends no-index, no-referrer, no-store and a strict CSP that allows exactly its stylesheet', async () => {
    const res = await app.inject({ url: `/n/${tokenOf('K-NL-1')}` });
    expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toContain('<meta name="robots" content="noindex,nofollow" />');
    const csp = String(res.headers['content-security-policy']);
    const directives = csp.split('; ');
    expect(directives).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ]),
    );
    const css = /<style>([\s\S]*?)<\/style>/.exec(res.body)![1]!;
    const hash = createHash('sha256').update(css, 'utf8').digest('base64');
    expect(directives).toContain(`style-src 'sha256-${hash}'`);
    expect(csp).not.toContain('unsafe');
  });

  it('records "I have read this" once, shows the time, and audits it as the recipient', async () => {
    const token = tokenOf('K-ACK');
    const page = (await app.inject({ url: `/n/${token}` })).body;
    const first = await post(token, 'acknowledge', { nonce: nonceOf(page, 'acknowledge') });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`/n/${token}#read`);
    const at = (await recipientRow('K-ACK')).acknowledged_at;
    expect(at).toMatch(/^\d{4}-\d\d-\d\dT/);

    const again = await post(token, 'acknowledge', { nonce: nonceOf(page, 'acknowledge') });
    expect(again.statusCode).toBe(303);
    expect((await recipientRow('K-ACK')).acknowledged_at).toBe(at);

    const after = flat((await app.inject({ url: `/n/${token}` })).body);
    expect(after).toContain(`U hebt op <time datetime="${at}">`);
    expect(after).not.toContain('Ik heb dit gelezen</button>');
    expect(after).toContain('Ik heb het gedaan</button>');

    const audit = await ctx.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'recipient.acknowledge')
      .where('object_id', '=', String(recall.recipients.get('K-ACK')!.id))
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'recipient:K-ACK', source: '198.51.100.20' });
    expect(readJson(audit[0]!.details, jsonObject)).toEqual({ caseId: recall.caseId });
  });

  it('records "I\'ve done it" as the remedy (and the reading it implies)', async () => {
    const token = tokenOf('K-DONE');
    const page = (await app.inject({ url: `/n/${token}` })).body;
    const res = await post(token, 'done', { nonce: nonceOf(page, 'done') });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/n/${token}#done`);
    const row = await recipientRow('K-DONE');
    expect(row.remedied_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(row.acknowledged_at).toBe(row.remedied_at);
    const after = flat((await app.inject({ url: `/n/${token}` })).body);
    expect(after).toContain(`You let us know on <time datetime="${row.remedied_at}">`);
    // No action buttons left (the question form's button is not one of them).
    expect(after.replace(/<section class="card" id="questions".*?<\/section>/, '')).not.toContain(
      '<button',
    );
    const audit = await ctx.database.db
      .selectFrom('audit_events')
      .select(['actor', 'details'])
      .where('action', '=', 'recipient.remedy')
      .execute();
    expect(audit.map((a) => a.actor)).toEqual(['recipient:K-DONE']);
    expect(readJson(audit[0]!.details, jsonObject)).toEqual({
      caseId: recall.caseId,
      alsoAcknowledged: true,
    });
  });

  it('answers unknown, malformed, revoked and odd tokens with one identical 404 page', async () => {
    await ctx.database.db
      .updateTable('case_recipients')
      .set({ token_revoked_at: new Date().toISOString() })
      .where('id', '=', recall.recipients.get('K-REVOKED')!.id)
      .execute();
    const unknownToken = tokenOf('K-NL-1').replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const urls = [
      `/n/${unknownToken}`,
      '/n/not-a-token',
      '/n/',
      `/n/${'x'.repeat(300)}`,
      `/n/${tokenOf('K-NL-1')}/extra`,
      `/n/${tokenOf('K-REVOKED')}`,
    ];
    const responses = await Promise.all(
      urls.map((url) => app.inject({ url, remoteAddress: '198.51.100.40' })),
    );
    for (const res of responses) {
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
      expect(res.body).toBe(responses[0]!.body);
    }
    expect(responses[0]!.body).toContain('Pagina niet gevonden');
    expect(responses[0]!.body).not.toMatch(/K-NL|K-REVOKED|Klantgegevens|Rob Revoked|not-a-token/);
    // A revoked token cannot record anything either.
    const posted = await post(
      tokenOf('K-REVOKED'),
      'acknowledge',
      { nonce: 'x' },
      {},
      '198.51.100.41',
    );
    expect(posted.statusCode).toBe(404);
    expect(posted.body).toBe(responses[0]!.body);
  });

  it('answers 429 with Retry-After after 20 wrong tokens from one address, even for a right one', async () => {
    const ip = '203.0.113.9';
    for (let i = 0; i < 20; i++) {
      const res = await app.inject({ url: `/n/guess-${i}`, remoteAddress: ip });
      expect(res.statusCode).toBe(404);
    }
    const blocked = await app.inject({ url: '/n/guess-21', remoteAddress: ip });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(500);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(600);
    expect(blocked.body).toContain('Te veel pogingen');
    const right = await app.inject({ url: `/n/${tokenOf('K-LIMIT')}`, remoteAddress: ip });
    expect(right.statusCode).toBe(429);
    // Another address is not affected.
    const other = await app.inject({
      url: `/n/${tokenOf('K-LIMIT')}`,
      remoteAddress: '203.0.113.10',
    });
    expect(other.statusCode).toBe(200);
  });

  it('refuses a post without the form nonce, with the wrong one, or from another site', async () => {
    const token = tokenOf('K-CSRF');
    const page = (await app.inject({ url: `/n/${token}` })).body;
    const nonce = nonceOf(page, 'acknowledge');
    const refused = [
      await post(token, 'acknowledge', {}),
      await post(token, 'acknowledge', { nonce: nonceOf(page, 'done') }),
      await post(token, 'acknowledge', { nonce: nonce.slice(0, -2) }),
      await post(token, 'acknowledge', { nonce }, { origin: 'https://evil.example' }),
      await post(token, 'acknowledge', { nonce }, { 'sec-fetch-site': 'cross-site' }),
      await post(
        token,
        'done',
        { nonce: nonceOf(page, 'done') },
        { 'sec-fetch-site': 'same-site' },
      ),
      await app.inject({
        method: 'POST',
        url: `/n/${token}/acknowledge`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ nonce: 42 }),
      }),
    ];
    for (const res of refused) {
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('Verzoek geweigerd');
    }
    const untouched = await recipientRow('K-CSRF');
    expect(untouched.acknowledged_at).toBeNull();
    expect(untouched.remedied_at).toBeNull();
    // What our own page sends: Origin "null" (no-referrer) and Sec-Fetch-Site same-origin.
    const ok = await post(
      token,
      'acknowledge',
      { nonce },
      {
        origin: 'null',
        'sec-fetch-site': 'same-origin',
      },
    );
    expect(ok.statusCode).toBe(303);
    expect((await recipientRow('K-CSRF')).acknowledged_at).not.toBeNull();
  });

  it('counts acknowledgements and completions for the case', async () => {
    const counts = await countResponses(ctx.database.db, recall.caseId);
    expect(counts).toEqual({ total: CUSTOMERS.length, acknowledged: 4, remedied: 1 });
  });
});
