import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { buildApp } from '../../src/http/app.js';
import {
  confirmRemedy,
  findPageVisitor,
} from '../../src/services/recipients/personal-page.service.js';
import { createApiToken } from '../../src/services/access/user.service.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  runWorker,
  waitForDispatch,
  type DispatchTestContext,
  type People,
  type Scenario,
} from '../dispatch/scenario.js';

/** GET /api/v1/customers/{external_id}/notices: the provider's portal asks what to show. */
describe.each(DIALECTS)("a customer's open notices for the portal on %s", (dialect) => {
  let ctx: DispatchTestContext;
  let people: People;
  let app: FastifyInstance;
  let smtp: SmtpPeer;
  let s: Scenario;
  let portal: string;
  let full: string;

  beforeAll(async () => {
    ctx = await createDispatchContext(dialect);
    people = await createPeople(ctx);
    app = await buildApp(ctx);
    smtp = await startSmtpPeer();
    s = await buildScenario(ctx, people, { customers: 4, until: 'dispatched' });
    const worker = await runWorker(ctx, smtp.url);
    try {
      await waitForDispatch(ctx, s.dispatch!.id);
    } finally {
      await worker.stop();
    }
    const admin = systemActor('test');
    portal = (await createApiToken(admin, 'sanne', { label: 'portal', scope: 'portal' }, ctx.deps))
      .token;
    full = (await createApiToken(admin, 'sanne', { label: 'all' }, ctx.deps)).token;
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await ctx?.close();
  });

  const get = (url: string, token: string) =>
    app.inject({ url, headers: { authorization: `Bearer ${token}` } });

  it('lists the notice as mailed, in the customer’s language, with the personal link', async () => {
    const customer = s.customers.find((c) => c.language === 'en') ?? s.customers[0]!;
    const res = await get(`/api/v1/customers/${customer.external_id}/notices`, portal);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<{ notices: Record<string, unknown>[] }>();
    expect(body.notices).toHaveLength(1);
    const [n] = body.notices;
    expect(n).toMatchObject({
      kind: 'incident',
      language: customer.language,
      open: true,
      acknowledgedAt: null,
      completedAt: null,
    });
    expect(n!.referenceCode).toMatch(/^[A-Z0-9-]{8,}$/);
    // The title is the mailed subject: the peer saw exactly that subject for this customer.
    const link = String(n!.personalPageUrl);
    expect(link).toMatch(/\/n\/[\w-]{43}$/);
    const page = await app.inject({ url: new URL(link).pathname });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(String(n!.title).replace(/&/g, '&amp;'));
  });

  it('drops a notice the customer completed, unless all are asked for', async () => {
    const customer = s.customers[1]!;
    const first = await get(`/api/v1/customers/${customer.external_id}/notices`, portal);
    const link = new URL(
      String(first.json<{ notices: { personalPageUrl: string }[] }>().notices[0]!.personalPageUrl),
    );
    const visitor = await findPageVisitor(link.pathname.slice(3), 'test', ctx.deps);
    expect(await confirmRemedy(visitor!, ctx.deps)).toBe(true);
    const open = await get(`/api/v1/customers/${customer.external_id}/notices`, portal);
    expect(open.json<{ notices: unknown[] }>().notices).toEqual([]);
    const all = await get(`/api/v1/customers/${customer.external_id}/notices?all=true`, portal);
    const listed = all.json<{ notices: { open: boolean; completedAt: string | null }[] }>();
    expect(listed.notices).toHaveLength(1);
    expect(listed.notices[0]!.open).toBe(false);
    expect(listed.notices[0]!.completedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('names an unknown customer; a customer never reached has no notices', async () => {
    const unknown = await get('/api/v1/customers/NOPE-1/notices', portal);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ detail: string }>().detail).toContain('NOPE-1');
  });

  it('a portal token reads this and nothing else; a full token of the same user reads more', async () => {
    for (const url of [
      '/api/v1/cases',
      '/api/v1/customers',
      `/api/v1/customers/${s.customers[0]!.external_id}`,
      '/api/v1/tokens',
    ]) {
      const refused = await get(url, portal);
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json<{ detail: string }>().detail).toMatch(/limited to the portal scope/);
      expect((await get(url, full)).statusCode, url).toBe(200);
    }
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { authorization: `Bearer ${portal}` },
      payload: { label: 'escalate' },
    });
    expect(created.statusCode).toBe(403);
    // The answer holds links that act as the customer: a read-only role does not get them.
    const viewer = (await createApiToken(systemActor('test'), 'vera', { label: 'v' }, ctx.deps))
      .token;
    const asViewer = await get(`/api/v1/customers/${s.customers[0]!.external_id}/notices`, viewer);
    expect(asViewer.statusCode).toBe(403);
    const listed = await get('/api/v1/tokens', full);
    expect(listed.json<{ label: string; scope: string | null }[]>()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ label: 'portal', scope: 'portal' }),
        expect.objectContaining({ label: 'all', scope: null }),
      ]),
    );
  });
});
