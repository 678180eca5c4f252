import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { buildApp } from '../../src/http/app.js';
import { createCase } from '../../src/services/cases/case.service.js';
import { createRemedy } from '../../src/services/remedies/remedy.service.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';

type Problem = { detail: string; errors: { field: string; message: string }[] };

const N = 100_000;

/**
 * 100,000 external ids in one request, the most the API takes: set-based batches, one
 * transaction, one audit entry. The frozen set is written straight into case_recipients (a
 * dispatch of 100,000 would test the dispatcher, not this).
 */
describe.each(DIALECTS)('100,000 provider confirmations on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let app: FastifyInstance;
  let token = '';
  let reference = '';
  const ids = Array.from({ length: N }, (_, i) => `VOL-${String(i).padStart(6, '0')}`);

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    const admin = systemActor('test');
    await createUser(
      admin,
      { username: 'rita', roles: ['responder'], password: 'correct horse battery' },
      ctx.deps,
    );
    token = (await createApiToken(admin, 'rita', { label: 'scan' }, ctx.deps)).token;
    const kase = await createCase(admin, { kind: 'advisory', title: 'Plugin 4.2.0' }, ctx.deps);
    reference = kase.reference;
    for (let i = 0; i < N; i += 2000) {
      await ctx.database.db
        .insertInto('case_recipients')
        .values(
          ids.slice(i, i + 2000).map((externalId, j) => ({
            case_id: kase.id,
            customer_id: i + j + 1,
            external_id: externalId,
            language: 'en',
            attributes: '{}',
            impact: '{}',
          })),
        )
        .execute();
    }
    await createRemedy(
      admin,
      kase.id,
      {
        key: 'update-plugin',
        completion: 'provider',
        texts: { en: { title: 'Update the plugin', instructions: '' } },
      },
      ctx.deps,
    );
    app = await buildApp(ctx);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const send = (externalIds: string[]) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/cases/${reference}/remedies/update-plugin/confirmations`,
      headers: { authorization: `Bearer ${token}` },
      payload: { externalIds },
    });

  it('confirms 100,000 in one request, and repeating it changes nothing', async () => {
    const started = performance.now();
    const res = await send([...ids.slice(0, N - 1), 'UNKNOWN-1']);
    const first = performance.now() - started;
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.json()).toMatchObject({
      received: N,
      confirmed: N - 1,
      completed: N - 1,
      unknown: [{ index: N - 1, externalId: 'UNKNOWN-1' }],
    });
    const again = performance.now();
    const repeat = await send(ids);
    const second = performance.now() - again;
    expect(repeat.json()).toMatchObject({ confirmed: 1, alreadyConfirmed: N - 1, completed: 1 });
    console.log(
      `[remedies] ${dialect}: 100,000 confirmations in ${Math.round(first)} ms; repeated (99,999 already confirmed) in ${Math.round(second)} ms`,
    );
    const audits = await ctx.database.db
      .selectFrom('audit_events')
      .select('seq')
      .where('action', '=', 'remedy.confirm')
      .execute();
    expect(audits).toHaveLength(2);
    const completions = await ctx.database.db
      .selectFrom('recall_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'remedy.completed')
      .executeTakeFirstOrThrow();
    expect(Number(completions.n)).toBe(N);
  }, 120_000);

  it('refuses more than 100,000 ids, naming the field', async () => {
    const res = await send([...ids, 'ONE-MORE']);
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().errors[0]?.field).toBe('body.externalIds');
  });
});
