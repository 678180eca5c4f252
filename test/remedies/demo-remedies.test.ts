import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/demo-seed.js';
import { createTestContext } from '../support/app-context.js';

/** The demo incident's remedies have confirmations spread over several past days. */
describe('demo remedies on sqlite', () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    const base = await createTestContext('sqlite');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-demo-remedies-'));
    ctx = { ...base, config: { ...base.config, dataDir: dir } };
    await seedDemo(ctx, { customers: 3000 });
  }, 240_000);
  afterAll(async () => {
    await ctx?.close();
  });

  it('has two remedies with completion events on several days, in the past', async () => {
    const remedies = await ctx.database.db
      .selectFrom('remedies')
      .select(['key', 'completion'])
      .execute();
    expect(remedies.map((r) => `${r.key}:${r.completion}`).sort()).toEqual([
      'change-password:customer',
      'update-plugin:both',
    ]);
    const events = await ctx.database.db
      .selectFrom('remedy_completion_events')
      .select(['action', 'source', 'at'])
      .execute();
    const days = new Set(
      events.filter((e) => e.action === 'completed').map((e) => e.at.slice(0, 10)),
    );
    expect(days.size).toBeGreaterThanOrEqual(3);
    expect(events.some((e) => e.source === 'provider')).toBe(true);
    expect(events.every((e) => e.at < new Date().toISOString())).toBe(true);
  });
});
