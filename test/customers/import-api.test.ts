import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemActor, type Role } from '../../src/domain/access.js';
import type { CustomerView } from '../../src/domain/customer.js';
import { buildApp } from '../../src/http/app.js';
import type { ImportSummary } from '../../src/services/customers/customer-import.service.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { DIALECTS } from '../support/databases.js';
import {
  countRows,
  createTestContext,
  customer,
  resetCustomers,
  runImport,
  sumOf,
  type TestContext,
} from './context.js';

const IMPORTS = '/api/v1/customers/imports';

interface Page {
  items: CustomerView[];
  next: number | null;
}

/** The customer API: streamed imports, roles checked before the body is read, search. */
describe.each(DIALECTS)('customer API on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const tokens: Partial<Record<Role, string>> = {};
  const bearer = (role: Role) => ({ authorization: `Bearer ${tokens[role]!}` });

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    app = await buildApp(ctx);
    for (const role of ['responder', 'viewer'] as const) {
      await createUser(
        systemActor(),
        { username: role, roles: [role], password: 'a long test password' },
        ctx.deps,
      );
      tokens[role] = (await createApiToken(systemActor(), role, { label: 'test' }, ctx.deps)).token;
    }
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });
  beforeEach(async () => {
    await resetCustomers(ctx);
  });

  it('imports a CSV body for a responder', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `${IMPORTS}?delimiter=;`,
      headers: { ...bearer('responder'), 'content-type': 'text/csv; charset=utf-8' },
      payload: 'external_id;email;name;plan\nH1;h1@example.com;Hanna;vps\nH2;oops;Bad;\n',
    });
    expect(res.statusCode).toBe(200);
    const summary = res.json<ImportSummary>();
    expect(summary).toMatchObject({
      dryRun: false,
      format: 'csv',
      delimiter: ';',
      total: 2,
      inserted: 1,
      rejected: 1,
      rejects: [{ line: 3, field: 'email', reason: 'not a valid email address: "oops"' }],
    });
    expect(summary.importId).toEqual(expect.any(Number));
    expect(await customer(ctx, 'H1')).toMatchObject({ name: 'Hanna', attributes: { plan: 'vps' } });
    const history = await ctx.database.db.selectFrom('customer_imports').selectAll().execute();
    expect(history).toMatchObject([{ actor: 'responder', source: 'api', status: 'completed' }]);
  });

  it('imports a streamed NDJSON body, and a dry run changes nothing', async () => {
    const lines = ['{"external_id":"S1","name":"Stream One"}'];
    for (let i = 2; i <= 3000; i++) lines.push(`{"external_id":"S${i}","tier":${i % 3}}`);
    const body = () => Readable.from(lines.map((l) => `${l}\n`));

    const dry = await app.inject({
      method: 'POST',
      url: `${IMPORTS}?dry_run=true`,
      headers: { ...bearer('responder'), 'content-type': 'application/x-ndjson' },
      payload: body(),
    });
    expect(dry.statusCode).toBe(200);
    expect(dry.json<ImportSummary>()).toMatchObject({ dryRun: true, total: 3000, inserted: 3000 });
    expect(await countRows(ctx, 'customers')).toBe(0);
    expect(await countRows(ctx, 'customer_imports')).toBe(0);

    const res = await app.inject({
      method: 'POST',
      url: IMPORTS,
      headers: { ...bearer('responder'), 'content-type': 'application/x-ndjson' },
      payload: body(),
    });
    expect(res.statusCode).toBe(200);
    const summary = res.json<ImportSummary>();
    expect(summary).toMatchObject({ format: 'jsonl', total: 3000, inserted: 3000, rejected: 0 });
    expect(sumOf(summary)).toBe(summary.total);
    expect(await customer(ctx, 'S3000')).toMatchObject({ attributes: { tier: 0 } });
  });

  it('answers a viewer with 403 before reading any of the body', async () => {
    let chunksRead = 0;
    const body = Readable.from(
      (function* () {
        chunksRead++;
        yield 'external_id,name\n';
        for (let i = 0; i < 100; i++) {
          chunksRead++;
          yield `V${i},Viewer Upload\n`;
        }
      })(),
    );
    const res = await app.inject({
      method: 'POST',
      url: IMPORTS,
      headers: { ...bearer('viewer'), 'content-type': 'text/csv' },
      payload: body,
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 403,
      title: 'Forbidden',
      detail: 'your roles (viewer) do not allow customers:import',
    });
    expect(chunksRead).toBe(0);
    expect(await countRows(ctx, 'customers')).toBe(0);
    expect(await countRows(ctx, 'customer_imports')).toBe(0);
  });

  it.each([
    ['no token', {}],
    ['a malformed header', { authorization: 'Token abc' }],
    ['an unknown token', { authorization: 'Bearer not-a-real-token' }],
  ])('answers 401 to %s and imports nothing', async (_label, headers) => {
    const res = await app.inject({
      method: 'POST',
      url: IMPORTS,
      headers: { ...headers, 'content-type': 'text/csv' },
      payload: 'external_id\nNOPE\n',
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(await countRows(ctx, 'customers')).toBe(0);
    expect(await countRows(ctx, 'customer_imports')).toBe(0);
  });

  it.each([
    ['application/json', '{"external_id":"J1"}'],
    ['text/plain', 'external_id\nT1\n'],
  ])('refuses a %s body with 415 and imports nothing', async (type, payload) => {
    const res = await app.inject({
      method: 'POST',
      url: IMPORTS,
      headers: { ...bearer('responder'), 'content-type': type },
      payload,
    });
    expect(res.statusCode).toBe(415);
    expect(res.json<{ detail: string }>().detail).toMatch(/text\/csv or application\/x-ndjson/);
    expect(await countRows(ctx, 'customer_imports')).toBe(0);
  });

  it('answers 422 naming the problem for a file that is not a customer file', async () => {
    const res = await app.inject({
      method: 'POST',
      url: IMPORTS,
      headers: { ...bearer('responder'), 'content-type': 'text/csv' },
      payload: 'id;naam\n1;Ann\n',
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json<{ detail: string }>().detail).toMatch(
      /^not a usable customer file: no external_id column/,
    );
    expect(await countRows(ctx, 'customer_imports')).toBe(0);
  });

  it('searches by external id, email and name fragment, and pages with `next`', async () => {
    const rows = ['external_id,email,name,city'];
    for (let i = 1; i <= 7; i++) rows.push(`Q${i},q${i}@example.com,Jansen ${i},Delft`);
    rows.push('J-ANS,jan@example.org,Piet de Jans,Ede', 'Z1,z@example.com,Zorro,Q1');
    await runImport(ctx, `${rows.join('\n')}\n`);
    const get = async (query: string, role: Role = 'viewer') => {
      const res = await app.inject({ url: `/api/v1/customers?${query}`, headers: bearer(role) });
      expect(res.statusCode).toBe(200);
      return res.json<Page>();
    };
    const ids = (page: Page) => page.items.map((c) => c.externalId);

    expect(ids(await get('q=Q3'))).toEqual(['Q3']);
    expect(ids(await get('q=Q1'))).toEqual(['Q1']); // exact id, not a fragment of a city
    expect(ids(await get(`q=${encodeURIComponent('q5@example.com')}`))).toEqual(['Q5']);
    expect(ids(await get(`q=${encodeURIComponent('Q5@EXAMPLE.COM')}`))).toEqual(['Q5']);
    expect(ids(await get('q=jans'))).toEqual(['Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6', 'Q7', 'J-ANS']);
    expect(ids(await get('q=de%20jAns'))).toEqual(['J-ANS']);
    expect(ids(await get('q=%25'))).toEqual([]); // a LIKE wildcard is a literal character

    // Keyset pagination over a filtered search: no gaps, no repeats, in id order.
    const seen: string[] = [];
    let query = 'q=jansen&limit=3';
    let pages = 0;
    for (;;) {
      const page = await get(query, 'responder');
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...ids(page));
      pages++;
      if (page.next === null) break;
      expect(page.next).toBe(page.items.at(-1)!.id);
      query = `q=jansen&limit=3&after=${page.next}`;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6', 'Q7']);

    const all = await get('limit=9');
    expect(all.items).toHaveLength(9);
    expect(all.next).toBeNull();

    const bad = await app.inject({ url: '/api/v1/customers?limit=0', headers: bearer('viewer') });
    expect(bad.statusCode).toBe(400);
  });

  it('returns one customer by external id, 404 when unknown, 401 without a token', async () => {
    await runImport(ctx, 'external_id,email,name,language,plan\nONE,one@example.com,Eén,en,vps\n');
    const res = await app.inject({ url: '/api/v1/customers/ONE', headers: bearer('viewer') });
    expect(res.statusCode).toBe(200);
    expect(res.json<CustomerView>()).toMatchObject({
      externalId: 'ONE',
      email: 'one@example.com',
      name: 'Eén',
      language: 'en',
      attributes: { plan: 'vps' },
    });
    const missing = await app.inject({ url: '/api/v1/customers/TWO', headers: bearer('viewer') });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await app.inject({ url: '/api/v1/customers/ONE' })).statusCode).toBe(401);
  });
});
