import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { seedDemo } from '../../src/demo/demo-seed.js';
import { getReminderOverview } from '../../src/services/remedies/reminder-overview.service.js';
import { listReminderSends } from '../../src/services/remedies/reminder.service.js';
import { createTestContext } from '../support/app-context.js';

/** The demo incident shows a reminder sent days ago, its effect, and escalation letters ready. */
describe('demo reminders', { timeout: 300_000 }, () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-demo-reminders-'));
    const base = await createTestContext('sqlite');
    ctx = { ...base, config: { ...base.config, dataDir: dir } };
  });
  afterAll(async () => {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('has one reminder with a visible effect and a built escalation batch', async () => {
    const seeded = await seedDemo(ctx, { customers: 3000 });
    const reference = seeded.cases.map((c) => c.split(' ')[0]!).find((r) => r.startsWith('INC-'))!;
    const o = await getReminderOverview(systemActor(), reference, ctx.deps);
    expect(o.rules).toHaveLength(1);
    // The authority report voided the reminder's approval; the demo's approver signed it again.
    expect(o.rules[0]!.noticeApproved).toBe(true);
    expect(o.sends).toHaveLength(1);
    const send = o.sends[0]!;
    expect(Date.parse(send.at)).toBeLessThan(Date.now() - 3_600_000);
    expect(send.recipients).toBeGreaterThan(5);
    const markers = await listReminderSends(ctx.database.db, o.caseId);
    expect(markers.map((m) => m.at)).toEqual([send.at]);
    expect(markers[0]!.label).toContain('reminder');
    const ack = o.effect[0]!.acknowledged;
    expect(ack.after.done).toBeGreaterThan(0);
    expect(ack.factor).toBeGreaterThan(1);
    expect(o.escalation.enabled).toBe(true);
    const letters = await ctx.database.db
      .selectFrom('letter_batches')
      .select(['letters'])
      .where('case_id', '=', o.caseId)
      .execute();
    expect(letters.length).toBeGreaterThan(0);
    expect(Number(letters[0]!.letters)).toBeGreaterThanOrEqual(5);
  });
});
