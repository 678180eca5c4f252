import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { startDispatch } from '../../src/services/dispatch/dispatch.service.js';
import { approveNotice, createNotice } from '../../src/services/notices/notice.service.js';
import { requireCase, updateCase } from '../../src/services/cases/case.service.js';
import { publishCase } from '../../src/services/publication/publication-publish.service.js';
import { getPublishedCase } from '../../src/services/publication/publication.service.js';
import { DIALECTS } from '../support/databases.js';
import { buildScenario, type People } from '../dispatch/scenario.js';
import { createPeople, createPublicationContext, publicTexts } from './public-record.js';

describe.each(DIALECTS)('the transparency figure on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createPublicationContext>>;
  let people: People;
  let app: FastifyInstance;
  beforeAll(async () => {
    ctx = await createPublicationContext(dialect);
    people = await createPeople(ctx);
    app = await buildApp(ctx);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('appears on the published page within about a second of the first customer dispatch', async () => {
    const scenario = await buildScenario(ctx, people, { customers: 5, until: 'approved' });
    // The public texts say the hole was closed: the case records it.
    // That voids the customer notice's approval (it states whether the leak is closed): approve again.
    await updateCase(
      people.sanne,
      scenario.caseId,
      { containedAt: new Date().toISOString() },
      ctx.deps,
    );
    await approveNotice(people.fatima, scenario.noticeId, {}, ctx.deps);
    const notice = await createNotice(
      people.joost,
      scenario.caseId,
      { audience: 'public', texts: publicTexts(), defaultLanguage: 'en' },
      ctx.deps,
    );
    await approveNotice(people.fatima, notice.id, {}, ctx.deps);
    await publishCase(people.sanne, scenario.caseId, ctx.deps);
    const { reference } = await requireCase(ctx.database.db, scenario.caseId);
    const published = (await getPublishedCase(ctx.database.db, reference))!;
    expect(published.firstCustomerNoticeAt).toBeNull();
    const url = `/en${published.paths.page}`;
    const before = await app.inject({ url });
    expect(before.statusCode).toBe(200);

    const dispatch = await startDispatch(people.sanne, scenario.noticeId, ctx.deps);
    const after = (await getPublishedCase(ctx.database.db, reference))!;
    expect(after.firstCustomerNoticeAt).toBe(dispatch.createdAt);
    // aware 2026-11-27T02:45Z in the scenario; the figure is the hours since then.
    expect(after.transparency.hoursToFirstCustomerNotice).toBeGreaterThan(0);

    // Starting a dispatch is not a public change (no revision), yet the page follows it.
    const started = Date.now();
    let page = before;
    while (Date.now() - started < 3000) {
      page = await app.inject({ url, headers: { 'if-none-match': String(before.headers.etag) } });
      if (page.statusCode === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toBe(before.body);
    expect(after.revisions.map((r) => r.number)).toEqual(published.revisions.map((r) => r.number));
  });
});
