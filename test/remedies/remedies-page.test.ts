import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { formNonce } from '../../src/http/routes/public/form-nonce.js';
import { personalTokenHash } from '../../src/lib/personal-token.js';
import { confirmRemedyForCustomers } from '../../src/services/remedies/remedy-confirmation.service.js';
import { createRemedy } from '../../src/services/remedies/remedy.service.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';
import { buildPageApp } from '../personal-page/page-app.js';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import { deliveryTo, markSent } from '../bounces/bounce-context.js';

const flat = (page: string) => page.replace(/>\s+</g, '><').replace(/\s+/g, ' ');

describe.each(DIALECTS)('remedies on the personal page and in the portal on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let app: FastifyInstance;
  let recall: RecallCase;
  const admin = systemActor('test');
  const token = (id: string) => recall.recipients.get(id)!.token;
  const page = async (id: string) => flat((await app.inject({ url: `/n/${token(id)}` })).body);
  const click = (id: string, key: string, nonce: string) =>
    app.inject({
      method: 'POST',
      url: `/n/${token(id)}/remedies/${key}/done`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ nonce }).toString(),
    });
  const nonceFor = (html: string, key: string) =>
    new RegExp(
      `action="/n/[^"]+/remedies/${key}/done"><input type="hidden" name="nonce" value="([^"]+)"`,
    ).exec(html)?.[1];

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    recall = await createRecallCase(ctx, [
      {
        external_id: 'PG-EN',
        email: 'amelia@example.co.uk',
        name: 'Amelia',
        language: 'en',
        impact: {},
      },
      { external_id: 'PG-NL', email: 'tim@example.nl', name: 'Tim', language: 'nl', impact: {} },
    ]);
    for (const [key, completion, en, nl] of [
      ['change-password', 'customer', 'Change your password', 'Wijzig uw wachtwoord'],
      ['remove-shell', 'provider', 'We remove the web shell', 'Wij verwijderen de web shell'],
    ] as const) {
      await createRemedy(
        admin,
        recall.caseId,
        {
          key,
          completion,
          texts: {
            en: { title: en, instructions: `1. Go to **settings**.\n2. <script>alert(1)</script>` },
            nl: { title: nl, instructions: 'Ga naar **instellingen**.' },
          },
        },
        ctx.deps,
      );
    }
    app = await buildPageApp(ctx);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('shows each remedy in the reader’s language, Markdown rendered safely, no single "done" button', async () => {
    const en = await page('PG-EN');
    expect(en).toContain('<h2 id="remedies">Your actions</h2>');
    expect(en).toContain('Change your password');
    expect(en).toContain('<strong>settings</strong>');
    expect(en).not.toContain('<script>alert(1)');
    expect(en).toContain('0 of 2 actions done');
    expect(en).not.toMatch(/action="\/n\/[\w-]+\/done"/);
    expect(nonceFor(en, 'change-password')).toBeTruthy();
    // Provider-only: a state and a line, no button.
    expect(nonceFor(en, 'remove-shell')).toBeUndefined();
    expect(en).toContain('We will see this on our side once it is done.');
    // The steps never point at a single button the page no longer has.
    expect(en).not.toContain('button at the top of this page');
    expect(en).toContain('with the button next to it');
    const nl = await page('PG-NL');
    expect(nl).not.toContain('knop bovenaan deze pagina');
    expect(nl).toContain('Wijzig uw wachtwoord');
    expect(nl).toContain('0 van 2 acties gedaan');
  });

  it('lets the customer confirm a customer remedy, which also acknowledges', async () => {
    const before = await page('PG-EN');
    const res = await click('PG-EN', 'change-password', nonceFor(before, 'change-password')!);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/#remedy-change-password-item$/);
    const after = await page('PG-EN');
    expect(after).toMatch(/<strong>Done<\/strong> \(confirmed by you on <time/);
    expect(after).toContain('1 of 2 actions done');
    const row = await ctx.database.db
      .selectFrom('case_recipients')
      .select('acknowledged_at')
      .where('id', '=', recall.recipients.get('PG-EN')!.id)
      .executeTakeFirstOrThrow();
    expect(row.acknowledged_at).not.toBeNull();
    // A second click (a replayed form) changes nothing and writes no second webhook event.
    await click('PG-EN', 'change-password', nonceFor(before, 'change-password')!);
    const events = await ctx.database.db
      .selectFrom('recall_events')
      .select(['kind', 'data'])
      .where('kind', '=', 'remedy.completed')
      .where('recipient_id', '=', recall.recipients.get('PG-EN')!.id)
      .execute();
    expect(events).toHaveLength(1);
  });

  it('refuses a forged confirmation of a provider-only remedy, even with a well-made nonce', async () => {
    const forged = formNonce(
      ctx.deps.secret,
      personalTokenHash(token('PG-NL')),
      'remedy:remove-shell',
    );
    const res = await click('PG-NL', 'remove-shell', forged);
    expect(res.statusCode).toBe(403);
    const wrong = await click('PG-NL', 'change-password', 'not-the-nonce');
    expect(wrong.statusCode).toBe(403);
    // No nonce, an empty body, a repeated field: refused the same way, never a 400 or a 500.
    for (const payload of ['', 'other=1', 'nonce=a&nonce=b']) {
      const res = await app.inject({
        method: 'POST',
        url: `/n/${token('PG-NL')}/remedies/change-password/done`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload,
      });
      expect(res.statusCode).toBe(403);
    }
    const rows = await ctx.database.db
      .selectFrom('remedy_completions')
      .select('customer_confirmed_at')
      .where('recipient_id', '=', recall.recipients.get('PG-NL')!.id)
      .where('customer_confirmed_at', 'is not', null)
      .execute();
    expect(rows).toHaveLength(0);
  });

  it('shows "confirmed by us" once the provider confirms, and the portal lists the remedies', async () => {
    await confirmRemedyForCustomers(
      admin,
      recall.caseId,
      'remove-shell',
      { externalIds: ['PG-NL'] },
      {},
      ctx.deps,
    );
    const nl = await page('PG-NL');
    expect(nl).toMatch(/<strong>Gedaan<\/strong> \(door ons vastgesteld op <time/);
    await createUser(
      admin,
      { username: 'sanne', roles: ['responder'], password: 'correct horse battery' },
      ctx.deps,
    );
    const portal = (
      await createApiToken(admin, 'sanne', { label: 'portal', scope: 'portal' }, ctx.deps)
    ).token;
    // The portal lists notices that reached the customer.
    await markSent(ctx, (await deliveryTo(ctx, recall.dispatchId, 'tim@example.nl')).id);
    const res = await app.inject({
      url: '/api/v1/customers/PG-NL/notices',
      headers: { authorization: `Bearer ${portal}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const [notice] = res.json<{ notices: { open: boolean; remedies: unknown[] }[] }>().notices;
    expect(notice).toMatchObject({
      open: true,
      remedies: [
        {
          key: 'change-password',
          title: 'Wijzig uw wachtwoord',
          done: false,
          customerMayConfirm: true,
        },
        {
          key: 'remove-shell',
          title: 'Wij verwijderen de web shell',
          done: true,
          customerMayConfirm: false,
        },
      ],
    });
  });
});
