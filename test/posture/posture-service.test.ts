import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPostureContent } from '../../src/demo/demo-posture.js';
import { listAudit } from '../../src/services/access/audit.service.js';
import {
  approvePostureDraft,
  postureDocument,
  postureOverview,
  publishPostureDraft,
  savePostureDraft,
  startPostureDraft,
} from '../../src/services/publication/posture.service.js';
import { DIALECTS } from '../support/databases.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  type People,
} from '../dispatch/scenario.js';

describe.each(DIALECTS)('the posture statement on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createDispatchContext>>;
  let people: People;
  beforeAll(async () => {
    ctx = await createDispatchContext(dialect);
    people = await createPeople(ctx);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('starts from the ten NIS2 points, and refuses invalid content naming the field', async () => {
    const draft = await startPostureDraft(people.joost, ctx.deps);
    expect(draft.content.measures.map((m) => m.id)).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
      'g',
      'h',
      'i',
      'j',
    ]);
    const bad = structuredClone(draft.content) as Record<string, unknown>;
    (bad.measures as { checkedBy: unknown }[])[2]!.checkedBy = { kind: 'external', auditor: '' };
    await expect(savePostureDraft(people.joost, bad, ctx.deps)).rejects.toThrow(
      /measures\[2\]\.checkedBy\.auditor: an external check names its auditor/,
    );
    // Incomplete texts can be saved, but not approved.
    await expect(approvePostureDraft(people.fatima, {}, ctx.deps)).rejects.toThrow(
      /intro: write it in Dutch and English/,
    );
  });

  it('four eyes: the author cannot approve, a viewer cannot write, an approver can', async () => {
    const content = demoPostureContent(new Date());
    const saved = await savePostureDraft(people.joost, content, ctx.deps);
    expect(saved.state).toBe('draft');
    await expect(savePostureDraft(people.vera, content, ctx.deps)).rejects.toThrow(/may not write/);
    // An admin who also wrote part of it is refused by the four-eyes rule, not by role.
    const admin = { ...people.admin, name: 'joost' };
    await expect(approvePostureDraft(admin, {}, ctx.deps)).rejects.toThrow(/four-eyes rule/);
    await expect(publishPostureDraft(people.sanne, ctx.deps)).rejects.toThrow(/needs an approval/);
    await expect(
      approvePostureDraft(people.fatima, { expectedHash: 'nope' }, ctx.deps),
    ).rejects.toThrow(/changed while you read it/);
    const approved = await approvePostureDraft(
      people.fatima,
      { expectedHash: saved.contentHash },
      ctx.deps,
    );
    expect(approved).toMatchObject({ state: 'approved', approvedBy: 'fatima' });
  });

  it('a change after approval withdraws it; publishing numbers versions and keeps history', async () => {
    const content = demoPostureContent(new Date());
    content.intro.en += ' Changed.';
    const changed = await savePostureDraft(people.sanne, content, ctx.deps);
    expect(changed).toMatchObject({ state: 'draft', approvedBy: null });
    expect(changed.authors).toEqual(['joost', 'sanne']);
    await approvePostureDraft(people.fatima, {}, ctx.deps);
    const v1 = await publishPostureDraft(people.sanne, ctx.deps);
    expect(v1).toMatchObject({ state: 'published', number: 1 });

    await startPostureDraft(people.joost, ctx.deps);
    content.validUntil = '2027-12-31';
    await savePostureDraft(people.joost, content, ctx.deps);
    await approvePostureDraft(people.fatima, {}, ctx.deps);
    const v2 = await publishPostureDraft(people.sanne, ctx.deps);
    expect(v2.number).toBe(2);
    const overview = await postureOverview(people.vera, ctx.deps);
    expect(overview.open).toBeNull();
    expect(overview.published.map((v) => v.number)).toEqual([2, 1]);
    const doc = await postureDocument(people.vera, ctx.deps);
    expect(doc.version).toBe(2);
    expect(doc.validUntil).toBe('2027-12-31');
    expect(doc.history.map((h) => h.version)).toEqual([2, 1]);
    expect((await postureDocument(people.vera, ctx.deps, 1)).validUntil).not.toBe('2027-12-31');

    const actions = (
      await listAudit(people.admin, ctx.database, { objectType: 'posture', limit: 50 })
    )
      .map((e) => e.action)
      .filter((a) => a.startsWith('posture.'));
    expect(actions).toEqual(
      expect.arrayContaining([
        'posture.draft',
        'posture.save',
        'posture.approve',
        'posture.publish',
      ]),
    );
  });

  it('measures each commitment from the case timelines, per year, missed cases listed', async () => {
    // Aware 2026-11-27T02:45Z, customers notified now (December): more than 24 h.
    const scenario = await buildScenario(ctx, people, { customers: 5, until: 'dispatched' });
    const notifiedAt = Date.parse(scenario.dispatch!.createdAt);
    const hours = Math.ceil((notifiedAt - Date.parse('2026-11-27T02:45:00Z')) / 3_600_000);
    const content = demoPostureContent(new Date());
    content.commitments.push({
      id: 'customers-generous',
      kind: 'customer-notice',
      hours: hours + 1,
      text: { nl: 'Ruim.', en: 'Generous.' },
    });
    await savePostureDraft(people.joost, content, ctx.deps);
    await approvePostureDraft(people.fatima, {}, ctx.deps);
    await publishPostureDraft(people.sanne, ctx.deps);
    const doc = await postureDocument(people.vera, ctx.deps);
    const byId = Object.fromEntries(doc.commitments.map((c) => [c.id, c.record]));
    expect(byId['customers-24h']).toEqual([
      {
        year: 2026,
        kept: 0,
        missed: 1,
        pending: 0,
        // Not on the security page: counted, but its reference is not revealed there.
        missedCases: [{ reference: null, url: null, hours: expect.any(Number) as number }],
      },
    ]);
    expect(byId['customers-generous']![0]).toMatchObject({ kept: 1, missed: 0 });
    // Never published: the 7-day public commitment is missed once 7 days have passed.
    const sevenDaysPassed = Date.now() - Date.parse('2026-11-27T02:45:00Z') > 7 * 86_400_000;
    expect(byId['public-7d']![0]).toMatchObject(
      sevenDaysPassed ? { missed: 1, pending: 0 } : { missed: 0, pending: 1 },
    );
  });

  it('counts a case whose affected set is a filter, before anyone is notified', async () => {
    const before = (await postureDocument(people.vera, ctx.deps)).commitments.find(
      (c) => c.id === 'customers-24h',
    )!.record[0]!;
    // Aware 2026-11-27 too, affected by a filter over the registry, nobody notified yet.
    await buildScenario(ctx, people, {
      customers: 5,
      affected: { filter: 'plan = "vps"' },
      until: 'notice',
    });
    const after = (await postureDocument(people.vera, ctx.deps)).commitments.find(
      (c) => c.id === 'customers-24h',
    )!.record[0]!;
    expect(after.missed).toBe(before.missed + 1);
    expect(after.missedCases.at(-1)).toEqual({ reference: null, url: null, hours: null });
  });
});
