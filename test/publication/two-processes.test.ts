import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { openDatabase } from '../../src/store/database.js';
import { contextOn } from '../../src/wiring.js';
import { postPublicUpdate } from '../../src/services/publication/public-update.service.js';
import { getPublishedCase } from '../../src/services/publication/publication.service.js';
import type { People } from '../dispatch/scenario.js';
import { createPeople, createPublicationContext, publishedIncident } from './public-record.js';

/**
 * Two servers on one PostgreSQL database, each with its own connection pool and cache, as two
 * `candor serve` processes behind a load balancer: a change made through one is served by the
 * other within about a second.
 */
describe('two servers on one PostgreSQL database', () => {
  let ctx: Awaited<ReturnType<typeof createPublicationContext>>;
  let people: People;
  beforeAll(async () => {
    ctx = await createPublicationContext('postgres');
    people = await createPeople(ctx);
  });
  afterAll(async () => ctx?.close());

  it('shows a change made on one server on the other within about a second', async () => {
    const secondDb = openDatabase(ctx.testDb.config);
    const second = contextOn(ctx.config, secondDb);
    const appA = await buildApp(ctx);
    const appB = await buildApp(second);
    try {
      await appB.ready();
      const { kase } = await publishedIncident(ctx, people);
      const page = (await getPublishedCase(ctx.database.db, kase.reference))!.paths.page;
      const waitFor = async (predicate: (body: string, status: number) => boolean) => {
        const started = Date.now();
        for (;;) {
          const res = await appB.inject({ url: `/en${page}` });
          if (predicate(res.body, res.statusCode)) return Date.now() - started;
          if (Date.now() - started > 5000) throw new Error(`not seen on B: ${res.statusCode}`);
          await new Promise((r) => setTimeout(r, 25));
        }
      };
      expect(await waitFor((_b, status) => status === 200)).toBeLessThan(2500);
      await postPublicUpdate(
        people.sanne,
        kase.id,
        { status: 'identified', texts: { en: 'Cause identified on server A.' } },
        ctx.deps,
      );
      expect(await waitFor((body) => body.includes('Cause identified on server A.'))).toBeLessThan(
        2500,
      );
      await appA.ready();
    } finally {
      await appA.close();
      await appB.close();
      await secondDb.close();
    }
  });
});
