import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { buildApp } from '../../src/http/app.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';
import { decodeQr, pdfInfo } from './pdf-reader.js';

const address = { street: 'Markt 1', postal_code: '5611 EB', city: 'Eindhoven', country: 'NL' };

describe.each(DIALECTS)('letters API on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let app: FastifyInstance;
  let recall: RecallCase;
  const tokens: Record<string, string> = {};
  const call = (user: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({
      method,
      url: `/api/v1/cases/${recall.reference}${url}`,
      headers: { authorization: `Bearer ${tokens[user]}` },
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
    });

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    const admin = systemActor('test');
    for (const [name, role] of [
      ['sanne', 'responder'],
      ['vera', 'viewer'],
    ] as const) {
      await createUser(
        admin,
        { username: name, roles: [role], password: 'correct horse battery' },
        ctx.deps,
      );
      tokens[name] = (await createApiToken(admin, name, { label: 'test' }, ctx.deps)).token;
    }
    recall = await createRecallCase(ctx, [
      {
        external_id: 'A-1',
        email: null,
        name: 'Anne Api',
        language: 'en',
        impact: {},
        attributes: address,
      },
      { external_id: 'A-2', email: null, name: 'Geen Adres', language: 'nl', impact: {} },
    ]);
    app = await buildApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('prints for a token that may send, reports who has no address, and serves the batch', async () => {
    expect((await call('vera', 'POST', '/letters', {})).statusCode).toBe(403);
    expect((await call('sanne', 'POST', '/letters', { batchSize: 0 })).statusCode).toBe(400);
    const wrongDispatch = await call('sanne', 'POST', '/letters', { dispatchId: 999_999 });
    expect(wrongDispatch.statusCode).toBe(404);

    const built = await call('sanne', 'POST', '/letters', { dispatchId: recall.dispatchId });
    expect(built.statusCode).toBe(200);
    const body = built.json<{
      letters: number;
      batches: { id: number; pages: number }[];
      notPrintable: unknown[];
    }>();
    expect(body.letters).toBe(1);
    expect(body.notPrintable).toEqual([
      {
        dispatchId: recall.dispatchId,
        externalId: 'A-2',
        reasons: ['no street', 'no postal_code', 'no city'],
      },
    ]);
    const batch = body.batches[0]!;

    const list = await call('vera', 'GET', '/letters');
    expect(list.json<{ batches: { id: number; state: string }[] }>().batches).toMatchObject([
      { id: batch.id, state: 'printed' },
    ]);
    expect((await call('vera', 'GET', `/letters/${batch.id}.pdf`)).statusCode).toBe(403);
    const pdf = await call('sanne', 'GET', `/letters/${batch.id}.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdfInfo(pdf.rawPayload).pages).toBe(batch.pages);
    const link = `${ctx.deps.publicUrl}/n/${recall.recipients.get('A-1')!.token}`;
    expect(decodeQr(pdf.rawPayload, 1)).toBe(link);

    const posted = await call('sanne', 'POST', `/letters/${batch.id}/posted`);
    expect(posted.json()).toMatchObject({
      changed: true,
      batch: { state: 'posted', postedBy: 'sanne' },
    });
    expect((await call('sanne', 'POST', `/letters/${batch.id}/posted`)).json()).toMatchObject({
      changed: false,
    });
    expect((await call('vera', 'POST', `/letters/${batch.id}/posted`)).statusCode).toBe(403);
  });
});
