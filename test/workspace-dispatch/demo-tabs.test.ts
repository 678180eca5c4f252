import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/demo-seed.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';

/** What `npm start` shows: the demo's notified case on the dispatch and deliveries tabs. */
describe.each(DIALECTS)("the demo's case on the dispatch tabs on %s", (dialect) => {
  let h: WorkspaceHarness;
  let cookie: string;
  let references: string[];

  beforeAll(async () => {
    h = await createHarness(dialect);
    // Enough customers that the web12 incident has a few dozen recipients for its curve.
    const demo = await seedDemo(h.ctx, { customers: 3000 });
    references = demo.cases.map((c) => /[A-Z]+-\d{4}-\d+/.exec(c)![0]);
    await h.addUser('ops', ['admin']);
    cookie = await h.login('ops');
  });
  afterAll(async () => {
    await h.close();
  });

  it('shows every seeded case on both tabs, with a dispatch where one was started', async () => {
    expect(references.length).toBeGreaterThan(0);
    let dispatched = 0;
    for (const reference of references) {
      const tab = await h.get(`/app/cases/${reference}/dispatch`, cookie);
      expect(tab.statusCode).toBe(200);
      const deliveries = await h.get(`/app/cases/${reference}/deliveries`, cookie);
      expect(deliveries.statusCode).toBe(200);
      if (tab.body.includes('data-progress-stream')) {
        dispatched += 1;
        expect(deliveries.body).toContain('deliveries-table');
        expect(tab.body).toContain('role="img"');
        expect(tab.body).toMatch(/<progress[^>]+max="\d+"/);
      }
    }
    expect(dispatched).toBeGreaterThan(0);
  });

  it('shows a recall curve over several days: acknowledgements and completions are seeded', async () => {
    const incident = references.find((r) => r.startsWith('INC-'))!;
    const kase = await h.ctx.database.db
      .selectFrom('cases')
      .select('id')
      .where('reference', '=', incident)
      .executeTakeFirstOrThrow();
    const { getRecallCurve } =
      await import('../../src/services/dispatch/dispatch-progress.service.js');
    const { systemActor } = await import('../../src/domain/access.js');
    const { requireCase } = await import('../../src/services/cases/case.service.js');
    const curve = (await getRecallCurve(
      systemActor('test'),
      await requireCase(h.ctx.database.db, kase.id),
      h.ctx.deps,
    ))!;
    expect(curve.acknowledged.length).toBeGreaterThanOrEqual(4);
    // Rising over the days, completions behind acknowledgements, and some left to do.
    expect(curve.acknowledged[0]!).toBeGreaterThan(0.15);
    expect(curve.acknowledged[3]!).toBeGreaterThan(curve.acknowledged[0]!);
    expect(curve.remedied[3]!).toBeGreaterThan(curve.remedied[0]!);
    expect(curve.remedied[3]!).toBeLessThan(curve.acknowledged[3]!);
    expect(curve.acknowledged.at(-1)!).toBeLessThan(1);
    // The dashboard draws it: a spark line with more than one point.
    const dashboard = await h.get('/app', cookie);
    const row = dashboard.body.slice(dashboard.body.indexOf(`data-case="${incident}"`));
    const spark = /<td class="dashboard-recall">[\s\S]*?<\/td>/.exec(row)![0];
    expect(/points="([^"]+)"/.exec(spark)![1]!.split(' ').length).toBeGreaterThanOrEqual(4);
  });
});
