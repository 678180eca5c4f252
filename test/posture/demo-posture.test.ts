import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { seedDemo } from '../../src/demo/demo-seed.js';
import {
  postureDocument,
  postureOverview,
} from '../../src/services/publication/posture.service.js';
import { createTestContext } from '../support/app-context.js';

/** `npm start` shows a published statement whose commitments are measured on the demo cases. */
describe('demo posture statement', () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-demo-posture-'));
    const base = await createTestContext('sqlite');
    ctx = { ...base, config: { ...base.config, dataDir: dir } };
  });
  afterAll(async () => {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is published once, with an expired item and a measured record', async () => {
    await seedDemo(ctx, { customers: 300 });
    const doc = await postureDocument(systemActor(), ctx.deps);
    expect(doc).toMatchObject({ version: 1, lapsed: false });
    expect(doc.measures.filter((m) => m.expired).map((m) => m.id)).toEqual(['e']);
    const customers = doc.commitments.find((c) => c.id === 'customers-24h')!;
    const counted = customers.record.reduce((s, y) => s + y.kept + y.missed + y.pending, 0);
    expect(counted).toBeGreaterThan(0);
    await seedDemo(ctx, { customers: 300 });
    expect((await postureOverview(systemActor(), ctx.deps)).published).toHaveLength(1);
  });
});
