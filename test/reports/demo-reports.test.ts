import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { seedDemo } from '../../src/demo/demo-seed.js';
import { listRegister } from '../../src/services/reports/register.service.js';
import { listReports } from '../../src/services/reports/report.service.js';
import { createTestContext } from '../support/app-context.js';

/** The demo seeds a drafted, approved and submitted Art. 33 report for its incident. */
describe('demo reports', () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-demo-reports-'));
    const base = await createTestContext('sqlite');
    ctx = { ...base, config: { ...base.config, dataDir: dir } };
  });
  afterAll(async () => {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('has a submitted GDPR Art. 33 report on the first incident, once', async () => {
    const seeded = await seedDemo(ctx, { customers: 300 });
    const reference = seeded.cases.map((c) => c.split(' ')[0]!).find((r) => r.startsWith('INC-'))!;
    expect(reference).toMatch(/^INC-\d{4}-0001$/);
    const view = await listReports(systemActor(), reference, { database: ctx.database });
    // GDPR Art. 33 and the two NIS2 filings that are due within days.
    expect(view.reports.map((r) => r.kind).sort()).toEqual([
      'gdpr-art33',
      'nis2-early-warning',
      'nis2-notification',
    ]);
    const v1 = view.reports.find((r) => r.kind === 'gdpr-art33')!.versions[0]!;
    expect(v1).toMatchObject({ status: 'submitted', editors: ['sanne'], approvedBy: 'fatima' });
    expect(v1.authorityReference).toMatch(/^M-\d{4}-104729$/);
    expect(v1.content.fields.contactPoint!.nl).toContain('privacy@voorbeeldhosting.example');
    expect(view.clocks['gdpr-art33']).toMatchObject({ state: 'done', late: false });

    await seedDemo(ctx, { customers: 300 });
    expect(
      (await listReports(systemActor(), reference, { database: ctx.database })).reports,
    ).toHaveLength(3);
    expect(Object.values(view.clocks).filter((c) => c && c.state === 'overdue')).toEqual([]);
    const register = await listRegister(systemActor(), {}, { database: ctx.database });
    expect(register.find((e) => e.reference === reference)).toMatchObject({ notified: true });
  });
});
