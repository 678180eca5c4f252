import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/demo-seed.js';
import { seedDemoQuestions } from '../../src/demo/demo-questions.js';
import { inboxCounts } from '../../src/services/recipients/question.service.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';

/** The demo has two questions on the incident, one answered, so the inbox shows both kinds. */
describe.each(DIALECTS)('demo questions on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-demo-questions-'));
    const base = await createTestContext(dialect);
    ctx = { ...base, config: { ...base.config, dataDir: dir } };
  });
  afterAll(async () => {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('asks two questions on the incident and answers one, once', async () => {
    await seedDemo(ctx, { customers: 200 });
    await seedDemoQuestions(ctx);
    const rows = await ctx.database.db.selectFrom('questions').selectAll().execute();
    expect(rows).toHaveLength(2);
    const counts = await inboxCounts(ctx.database.db, Number(rows[0]!.case_id));
    expect(counts).toMatchObject({ open: 1, answered: 1, closed: 0 });
    expect(counts.medianAnswerMs).toBeGreaterThan(2 * 3_600_000);
    const replies = await ctx.database.db.selectFrom('question_replies').selectAll().execute();
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ state: 'queued', author: 'joost', language: 'nl' });
  });
});
