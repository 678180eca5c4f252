import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { seedDemo } from '../../src/demo/demo-seed.js';
import { readCaseAssessment } from '../../src/services/assessment/assessment.service.js';
import { readCaseClocks } from '../../src/services/assessment/legal-clock.service.js';
import { listCaseTeam } from '../../src/store/clock-alert.repository.js';
import { createTestContext } from '../support/app-context.js';

/** The demo records the web12 breach's facts, so the assessment tab and clocks show them. */
describe('demo assessment', () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-demo-assessment-'));
    const base = await createTestContext('sqlite');
    ctx = { ...base, config: { ...base.config, dataDir: dir } };
  });
  afterAll(async () => {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('assesses INC-…-0001 once: notify the authority and the customers, NIS2 significant', async () => {
    const seeded = await seedDemo(ctx, { customers: 300 });
    const reference = seeded.cases.map((c) => c.split(' ')[0]!).find((r) => r.startsWith('INC-'))!;
    const read = await readCaseAssessment(systemActor(), reference, ctx.deps);
    const a = read.assessment!;
    expect(a).toMatchObject({ factsVersion: 1, recordedBy: 'sanne' });
    expect(a.facts.dataSubjects).toBeGreaterThan(0);
    expect(a.facts.passwordStorage).toBe('weak-hash');
    expect(a.assessment.authority.notify).toBe(true);
    expect(a.assessment.subjects.notify).toBe(true);
    expect(a.assessment.nis2.significant).toBe(true);
    expect(a.assessment.nis2.reasons.join()).toContain('Art. 7(c)');
    const clocks = await readCaseClocks(systemActor(), reference, ctx.deps);
    expect(clocks.clocks.map((c) => c.kind)).toEqual([
      'gdpr-art33',
      'nis2-early-warning',
      'nis2-notification',
      'nis2-final',
    ]);
    const team = await listCaseTeam(ctx.database.db);
    expect(team.map((u) => u.username)).toEqual(['sanne', 'fatima']);
    await seedDemo(ctx, { customers: 300 });
    expect(
      (await readCaseAssessment(systemActor(), reference, ctx.deps)).assessment!.factsVersion,
    ).toBe(1);
  });
});
