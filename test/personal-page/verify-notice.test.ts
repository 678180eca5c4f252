/**
 * The public verify page: a notice code says whether a notice is ours, when it went out and
 * which case it is about — and nothing about whom it was for. Every code that is not a sent
 * notice of ours gets one and the same answer; unconfirmed codes are rate limited per IP.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access.js';
import { approveNotice, createNotice } from '../../src/services/notices/notice.service.js';
import { publishCase } from '../../src/services/publication/publication-publish.service.js';
import { referenceCode } from '../../src/lib/reference-code.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';
import { buildPageApp } from './page-app.js';
import { createRecallCase, type RecallCase, type TestCustomer } from './recall-case.js';
import type { DeliveryState } from '../../src/domain/delivery.js';

const person = (name: string, role: 'communicator' | 'approver' | 'responder'): Actor => ({
  kind: 'user',
  userId: null,
  name,
  roles: [role],
  source: 'test',
});

const customer = (external_id: string, name: string, email: string): TestCustomer => ({
  external_id,
  email,
  name,
  language: 'nl',
  impact: { domains: `${external_id.toLowerCase()}-secret.example`, data: 'wachtwoord-hash' },
});

const PUBLISHED = [
  customer('K-V-SENT', 'Vera Verify', 'vera@verify.example'),
  customer('K-V-CANCEL', 'Cas Cancel', 'cas@verify.example'),
  customer('K-V-QUEUED', 'Quinten Queue', 'quinten@verify.example'),
];
const UNPUBLISHED = [customer('K-W-SENT', 'Wim Wachten', 'wim@verify.example')];
const SENT_AT = '2026-12-07T14:05:00.000Z';

const flat = (page: string) => page.replace(/>\s+</g, '><').replace(/\s+/g, ' ');

describe.each(DIALECTS)('the verify page on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let app: FastifyInstance;
  let published: RecallCase;
  let unpublished: RecallCase;
  const codes = new Map<string, string>();

  const check = (code: unknown, remoteAddress = '198.51.100.60', path = '/security/verify') =>
    app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ code: String(code) }).toString(),
      remoteAddress,
    });

  async function deliveryOf(recall: RecallCase, externalId: string) {
    return ctx.database.db
      .selectFrom('deliveries')
      .select('id')
      .where('dispatch_id', '=', recall.dispatchId)
      .where('recipient_id', '=', recall.recipients.get(externalId)!.id)
      .executeTakeFirstOrThrow();
  }

  async function setState(recall: RecallCase, externalId: string, state: DeliveryState) {
    const { id } = await deliveryOf(recall, externalId);
    await ctx.database.db
      .updateTable('deliveries')
      .set({ state, sent_at: state === 'sent' ? SENT_AT : null })
      .where('id', '=', id)
      .execute();
    codes.set(externalId, referenceCode(ctx.deps.secret, Number(id)));
  }

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    published = await createRecallCase(ctx, PUBLISHED, 'Lek in het klantportaal');
    unpublished = await createRecallCase(ctx, UNPUBLISHED, 'Nog geheim onderzoek');
    const notice = await createNotice(
      person('joost', 'communicator'),
      published.caseId,
      {
        audience: 'public',
        defaultLanguage: 'nl',
        texts: {
          nl: {
            subject: 'Lek in het klantportaal',
            body: 'Wij onderzoeken een lek in het klantportaal.',
          },
          en: {
            subject: 'Leak in the customer portal',
            body: 'We are looking into a leak in the customer portal.',
          },
        },
      },
      ctx.deps,
    );
    await approveNotice(person('fatima', 'approver'), notice.id, {}, ctx.deps);
    await publishCase(person('sanne', 'responder'), published.caseId, ctx.deps);
    await setState(published, 'K-V-SENT', 'sent');
    await setState(published, 'K-V-CANCEL', 'cancelled');
    await setState(published, 'K-V-QUEUED', 'queued');
    await setState(unpublished, 'K-W-SENT', 'sent');
    app = await buildPageApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('shows the form in Dutch and English, linked from the security page', async () => {
    for (const [path, heading] of [
      ['/security/verify', 'Is dit bericht echt van ons?'],
      ['/en/security/verify', 'Is this message really from us?'],
    ] as const) {
      const res = await app.inject({ url: path });
      expect(res.statusCode).toBe(200);
      const page = flat(res.body);
      expect(page).toContain(`<h1>${heading}</h1>`);
      expect(page).toContain(`<form class="verify" method="post" action="${path}">`);
      expect(page).toContain('<link rel="stylesheet" href="/security/security.css" />');
      expect(page).not.toMatch(/<script|style="/);
    }
    const security = await app.inject({ url: '/security' });
    expect(security.body).toContain('<a href="/security/verify">');
    const en = await app.inject({ url: '/en/security' });
    expect(en.body).toContain('<a href="/en/security/verify">');
  });

  it('confirms a sent notice: date and public case, nothing about the recipient', async () => {
    // As a reader types it: lower case, spaces instead of dashes.
    const typed = codes.get('K-V-SENT')!.toLowerCase().replace(/-/g, ' ');
    const res = await check(typed);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe');
    const page = flat(res.body);
    expect(page).toContain('Echt: dit bericht is van Example Hosting B.V.');
    expect(page).toContain(`<dd class="code">${codes.get('K-V-SENT')}</dd>`);
    expect(page).toContain('<dt>Verstuurd op</dt><dd>7 december 2026</dd>');
    expect(page).toMatch(
      new RegExp(
        `<a href="/security/\\d{4}/${published.reference.toLowerCase()}-[a-z-]+">Lek in het klantportaal</a> \\(kenmerk ${published.reference}\\)`,
      ),
    );
    for (const personal of [
      'Vera',
      'vera@verify.example',
      'K-V-SENT',
      'k-v-sent-secret',
      'wachtwoord-hash',
    ]) {
      expect(page).not.toContain(personal);
    }
    const english = flat(
      (await check(codes.get('K-V-SENT'), undefined, '/en/security/verify')).body,
    );
    expect(english).toContain('<dt>Sent on</dt><dd>7 December 2026</dd>');
    expect(english).toMatch(
      /<a href="\/en\/security\/\d{4}\/[^"]+">Leak in the customer portal<\/a>/,
    );
  });

  it('names an unpublished case by its reference only', async () => {
    const page = flat((await check(codes.get('K-W-SENT'))).body);
    expect(page).toContain(
      `een zaak die (nog) niet op onze publieke pagina staat (kenmerk ${unpublished.reference})`,
    );
    expect(page).not.toContain('Nog geheim onderzoek');
    expect(page).not.toMatch(/Wim|wim@verify|K-W-SENT/);
  });

  it('gives malformed, unknown, foreign, cancelled and unsent codes one neutral answer', async () => {
    const real = codes.get('K-V-SENT')!;
    const flipped = `${real.slice(0, -1)}${real.endsWith('7') ? '8' : '7'}`;
    const foreign = referenceCode(Buffer.from('another-installation-secret-0123456789'), 1);
    const inputs = [
      'hello',
      '<script>alert(1)</script>',
      'ABCD-EFGH-JKMN',
      flipped,
      foreign,
      codes.get('K-V-CANCEL')!,
      codes.get('K-V-QUEUED')!,
    ];
    const answers = [];
    for (const [i, input] of inputs.entries())
      answers.push(await check(input, `198.51.100.${70 + i}`));
    for (const res of answers) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toBe(answers[0]!.body);
    }
    expect(answers[0]!.body).toContain('Wij kunnen deze code niet bevestigen');
    expect(answers[0]!.body).not.toMatch(/hello|<script|alert|ABCD|Lek in het/);
  });

  it('answers 429 with Retry-After after 20 unconfirmed codes from one address', async () => {
    const ip = '203.0.113.66';
    for (let i = 0; i < 20; i++) expect((await check(`guess-${i}`, ip)).statusCode).toBe(200);
    const blocked = await check(codes.get('K-V-SENT'), ip);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(500);
    expect(blocked.body).toContain('Te veel onbekende codes');
    expect(blocked.body).not.toContain('Echt:');
    expect((await app.inject({ url: '/security/verify', remoteAddress: ip })).statusCode).toBe(429);
    // Another address is not affected, and a genuine code does not count against it.
    const other = await check(codes.get('K-V-SENT'), '203.0.113.67');
    expect(other.statusCode).toBe(200);
    expect(other.body).toContain('Echt:');
  });
});
