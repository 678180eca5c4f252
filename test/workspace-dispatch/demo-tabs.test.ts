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
    const demo = await seedDemo(h.ctx, { customers: 300 });
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
});
