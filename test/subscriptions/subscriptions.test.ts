import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailTransport } from '../../src/channels/email/smtp-connection-pool.js';
import type { EmailTransport } from '../../src/channels/email/email-transport.js';
import { systemActor } from '../../src/domain/access.js';
import { buildApp } from '../../src/http/app.js';
import {
  fanOutPublicationEvents,
  runPublicationOutboxRound,
  type OutboxDeps,
} from '../../src/services/publication/publication-outbox.service.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { countSubscriberMails } from '../../src/store/subscriber.repository.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import { createPublicContext, EMBARGOED, publishTestCase } from '../csaf/published-case.js';

const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
});

describe.each(DIALECTS)('email subscriptions on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createPublicContext>>;
  let app: FastifyInstance;
  let peer: SmtpPeer;
  let transport: EmailTransport;
  let deps: OutboxDeps;
  let adminToken: string;

  beforeAll(async () => {
    ctx = await createPublicContext(dialect);
    peer = await startSmtpPeer({ keepMessages: true });
    transport = createEmailTransport({ url: peer.url, maxConnections: 2 });
    deps = { ...ctx.deps, allowHosts: [], transport };
    app = await buildApp(ctx);
    await createUser(
      systemActor('test'),
      { username: 'ada', roles: ['admin'], password: 'correct horse battery' },
      ctx.deps,
    );
    adminToken = (await createApiToken(systemActor('test'), 'ada', { label: 't' }, ctx.deps)).token;
  });
  afterAll(async () => {
    await app?.close();
    transport?.close();
    await peer?.close();
    await ctx?.close();
  });

  const mailsTo = async (address: string) =>
    Promise.all(
      peer.messages.filter((m) => m.rcpt.includes(address)).map((m) => simpleParser(m.raw)),
    );
  const round = (id = 'test-worker') => runPublicationOutboxRound(deps, id).then(() => id);

  it('double opt-in: the same answer for every address, a confirmation link, confirmed only by POST', async () => {
    const first = await app.inject({
      method: 'POST',
      url: '/security/subscribe',
      ...form({ email: 'Lotte@Example.NL', language: 'nl' }),
    });
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('bevestigingslink');
    await round();
    const [confirmation] = await mailsTo('lotte@example.nl');
    expect(confirmation!.subject).toContain('Bevestig uw aanmelding');
    const link =
      /https:\/\/candor\.example\.nl(\/security\/confirm\/[A-Za-z0-9_-]{43})\?lang=nl/.exec(
        confirmation!.text!,
      )!;
    expect(link).not.toBeNull();
    // The token is not stored, only its hash.
    const row = await ctx.database.db
      .selectFrom('subscribers')
      .selectAll()
      .where('email', '=', 'lotte@example.nl')
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('pending');
    expect(JSON.stringify(row)).not.toContain(link[1]!.split('/').at(-1));
    // GET (a link scanner) changes nothing; POST confirms.
    const page = await app.inject({ url: `${link[1]}?lang=nl` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post"');
    expect(
      (
        await ctx.database.db
          .selectFrom('subscribers')
          .select('state')
          .where('id', '=', row.id)
          .executeTakeFirstOrThrow()
      ).state,
    ).toBe('pending');
    const confirmed = await app.inject({ method: 'POST', url: `${link[1]}?lang=nl` });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('bevestigd');
    expect(
      (await app.inject({ method: 'POST', url: '/security/confirm/wrong-token' })).statusCode,
    ).toBe(404);

    // Asking again for a confirmed address: the same page, and no new mail.
    const again = await app.inject({
      method: 'POST',
      url: '/security/subscribe',
      ...form({ email: 'lotte@example.nl', language: 'nl' }),
    });
    expect(again.body).toBe(first.body);
    await round();
    expect(await mailsTo('lotte@example.nl')).toHaveLength(1);
    const bad = await app.inject({
      method: 'POST',
      url: '/security/subscribe',
      ...form({ email: 'not-an-address', language: 'en' }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('valid email address');
  });

  it('mails every confirmed subscriber once per publication event, across restarts and parallel loops', async () => {
    await app.inject({
      method: 'POST',
      url: '/security/subscribe',
      ...form({ email: 'john@example.com', language: 'en' }),
    });
    await app.inject({
      method: 'POST',
      url: '/security/subscribe',
      ...form({ email: 'pending@example.com', language: 'en' }),
    });
    await round();
    const [mail] = await mailsTo('john@example.com');
    const path = /(\/security\/confirm\/[A-Za-z0-9_-]{43})/.exec(mail!.text!)![1]!;
    await app.inject({ method: 'POST', url: path });

    const { reference } = await publishTestCase(ctx, 'advisory');
    // Two "processes" at once, then a third later: still one mail each.
    await Promise.all([
      runPublicationOutboxRound(deps, 'process-a'),
      runPublicationOutboxRound(deps, 'process-b'),
    ]);
    await runPublicationOutboxRound(deps, 'process-a');
    expect(await fanOutPublicationEvents(deps)).toBe(0);
    const updates = peer.messages.filter((m) => m.raw.toString().includes(reference));
    expect(updates.map((m) => m.rcpt[0]).sort()).toEqual(['john@example.com', 'lotte@example.nl']);
    expect(await countSubscriberMails(ctx.database.db)).toEqual({ sent: 2 });

    const english = await simpleParser(updates.find((m) => m.rcpt[0] === 'john@example.com')!.raw);
    expect(english.subject).toContain(
      `[${reference}] Newly published: Vulnerability in the customer panel`,
    );
    expect(english.text).not.toContain(EMBARGOED);
    expect(english.text).toContain('https://candor.example.nl/en/security/');
    // RFC 8058 one-click unsubscribe.
    const header = (key: string) => english.headerLines.find((h) => h.key === key)?.line ?? '';
    expect(header('list-unsubscribe-post')).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    const unsubscribeUrl = /<https:\/\/candor\.example\.nl(\/security\/unsubscribe\/[^>]+)>/.exec(
      String(english.headerLines.find((h) => h.key === 'list-unsubscribe')!.line),
    )![1]!;
    const oneClick = await app.inject({
      method: 'POST',
      url: unsubscribeUrl,
      ...form({ 'List-Unsubscribe': 'One-Click' }),
    });
    expect(oneClick.statusCode).toBe(200);
    expect(oneClick.body).toContain('unsubscribed');

    // After unsubscribing: the next public change goes to the others only.
    const second = await publishTestCase(ctx, 'incident', 'Storing bij de mailservers');
    await runPublicationOutboxRound(deps, 'process-a');
    const next = peer.messages.filter((m) => m.raw.toString().includes(second.reference));
    expect(next.map((m) => m.rcpt[0])).toEqual(['lotte@example.nl']);

    const listed = await app.inject({
      url: '/api/v1/subscribers',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(listed.json()).toMatchObject({ counts: { confirmed: 1, pending: 1, unsubscribed: 1 } });
  });

  it('rate-limits subscription requests per client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/security/subscribe',
        remoteAddress: '203.0.113.9',
        ...form({ email: `flood${i}@example.com` }),
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});
