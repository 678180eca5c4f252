import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../../src/domain/access.js';
import { ForbiddenError, NotFoundError } from '../../src/domain/errors.js';
import {
  calendarDays,
  exportOpenRecipients,
  getCompletionOverview,
  getOpenRecipients,
  type OpenFilter,
} from '../../src/services/remedies/completion.service.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';
import {
  NOW,
  ZONE,
  buildCompletionScenario,
  type CompletionScenario,
} from './completion-scenario.js';

const viewer: Actor = { kind: 'user', userId: null, name: 'vera', roles: ['viewer'], source: 't' };
const nobody: Actor = { kind: 'user', userId: null, name: 'x', roles: [], source: 't' };

describe('calendar days', () => {
  it('counts local days across the end of daylight saving time (a 25-hour Sunday)', () => {
    const cal = calendarDays('2026-10-23T08:00:00Z', NOW, ZONE);
    expect(cal.days).toEqual([
      '2026-10-23',
      '2026-10-24',
      '2026-10-25',
      '2026-10-26',
      '2026-10-27',
      '2026-10-28',
    ]);
    expect(new Date(cal.starts[2]!).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(new Date(cal.ends[2]!).toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect((cal.ends[2]! - cal.starts[2]!) / 3_600_000).toBe(25);
    // In New York the same instants fall on other dates.
    expect(calendarDays('2026-10-23T02:00:00Z', NOW, 'America/New_York').days[0]).toBe(
      '2026-10-22',
    );
  });
});

describe.each(DIALECTS)('completion on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let s: CompletionScenario;
  const ref = () => s.recall.reference;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    s = await buildCompletionScenario(ctx);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('counts reached, read and completed with their rates, per case and per remedy', async () => {
    const o = await getCompletionOverview(viewer, ref(), { timeZone: ZONE, now: NOW }, ctx.deps);
    expect(o.figures).toEqual({
      affected: 8,
      reached: 5,
      read: 4,
      completed: 1,
      completedReached: 1,
      rates: {
        reached: 5 / 8,
        read: 4 / 8,
        readOfReached: 4 / 5,
        completed: 1 / 8,
        completedOfReached: 1 / 5,
      },
    });
    expect(o.problems).toEqual({ noEmail: 2, bounced: 1, failed: 1 });
    const byKey = Object.fromEntries(o.remedies.map((r) => [r.key, r]));
    expect(o.remedies.map((r) => r.key)).toEqual(['update-plugin', 'rotate-key', 'old-step']);
    expect(byKey['update-plugin']).toMatchObject({
      title: 'Update the plugin',
      completion: 'customer',
      retired: false,
      completed: 4,
      completedReached: 3,
    });
    expect(byKey['update-plugin']!.rates.completed).toBe(4 / 8);
    expect(byKey['update-plugin']!.rates.completedOfReached).toBe(3 / 5);
    // R2's withdrawal reopened the 'both' remedy: only R1 is done.
    expect(byKey['rotate-key']).toMatchObject({ completed: 1, completedReached: 1 });
    // A retired remedy is shown but does not hold the case open.
    expect(byKey['old-step']).toMatchObject({ retired: true, completed: 1 });
    const nl = await getCompletionOverview(
      viewer,
      ref(),
      { timeZone: ZONE, now: NOW, language: 'nl' },
      ctx.deps,
    );
    expect(nl.remedies[0]!.title).toBe('Werk de plug-in bij');
  });

  it('draws the curve per local day across the DST change, with the dip of a withdrawal', async () => {
    const { curve } = await getCompletionOverview(
      viewer,
      ref(),
      { timeZone: ZONE, now: NOW },
      ctx.deps,
    );
    expect(curve).not.toBeNull();
    expect(curve!.days).toEqual([
      '2026-10-23',
      '2026-10-24',
      '2026-10-25',
      '2026-10-26',
      '2026-10-27',
      '2026-10-28',
    ]);
    expect(curve!.reached).toEqual([4, 4, 4, 5, 5, 5]);
    // R2 read at 22:30Z on the 24th: 00:30 CEST on the 25th, so day 2, not day 1.
    expect(curve!.read).toEqual([2, 2, 3, 4, 4, 4]);
    const byKey = Object.fromEntries(curve!.remedies.map((r) => [r.key, r.completed]));
    expect(byKey['update-plugin']).toEqual([1, 1, 2, 3, 4, 4]);
    // R2 completed at 23:30Z on the 25th = 00:30 CET on the 26th (day 3); withdrawn on day 5.
    expect(byKey['rotate-key']).toEqual([0, 0, 1, 2, 2, 1]);
    expect(byKey['old-step']).toBeUndefined();
    expect(curve!.completed).toEqual([0, 0, 0, 1, 2, 1]);
    // The curve's last values agree with the counts.
    expect(curve!.completed.at(-1)).toBe(1);

    // In UTC the day of R2's reading is the 24th: the zone matters.
    const utc = await getCompletionOverview(viewer, ref(), { timeZone: 'UTC', now: NOW }, ctx.deps);
    expect(utc.curve!.read).toEqual([2, 3, 3, 4, 4, 4]);
  });

  it('lists the open recipients by filter, a keyset page at a time', async () => {
    const open = async (filter: OpenFilter, afterId?: number, limit = 50) =>
      getOpenRecipients(viewer, ref(), filter, { afterId, limit }, ctx.deps);
    const ext = (p: { rows: { externalId: string }[] }) => p.rows.map((r) => r.externalId);
    expect(ext(await open({}))).toEqual(['R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8']);
    const first = await open({}, undefined, 3);
    expect(ext(first)).toEqual(['R2', 'R3', 'R4']);
    const second = await open({}, first.nextAfterId!, 3);
    expect(ext(second)).toEqual(['R5', 'R6', 'R7']);
    const third = await open({}, second.nextAfterId!, 3);
    expect(ext(third)).toEqual(['R8']);
    expect(third.nextAfterId).toBeNull();

    expect(ext(await open({ stage: 'unreached' }))).toEqual(['R3', 'R4', 'R6']);
    expect(ext(await open({ stage: 'unread' }))).toEqual(['R7']);
    expect(ext(await open({ stage: 'read' }))).toEqual(['R2', 'R5', 'R8']);
    expect(ext(await open({ remedy: 'rotate-key' }))).toEqual([
      'R2',
      'R3',
      'R4',
      'R5',
      'R6',
      'R7',
      'R8',
    ]);
    expect(ext(await open({ remedy: 'update-plugin' }))).toEqual(['R4', 'R5', 'R6', 'R7']);
    expect(ext(await open({ language: 'en' }))).toEqual(['R2', 'R6', 'R7']);
    expect(ext(await open({ problem: 'bounced' }))).toEqual(['R3']);
    expect(ext(await open({ problem: 'failed' }))).toEqual(['R4']);
    expect(ext(await open({ problem: 'no-email' }))).toEqual(['R5', 'R6']);
    expect(ext(await open({ q: 'r7' }))).toEqual(['R7']);
    expect(ext(await open({ q: 'R8@EXAMPLE' }))).toEqual(['R8']);
    expect(ext(await open({ q: 'bob' }))).toEqual(['R2']);
    // Prefix, not substring; LIKE wildcards are literal.
    expect(ext(await open({ q: 'baker' }))).toEqual([]);
    expect(ext(await open({ q: '%' }))).toEqual([]);
    expect(ext(await open({ stage: 'read', language: 'nl' }))).toEqual(['R5', 'R8']);

    const r2 = (await open({ q: 'R2' })).rows[0]!;
    expect(r2).toMatchObject({ reached: true, bounced: false, openRemedies: ['rotate-key'] });
    const r3 = (await open({ q: 'R3' })).rows[0]!;
    expect(r3).toMatchObject({ reached: false, bounced: true, openRemedies: ['rotate-key'] });
    await expect(open({ remedy: 'no-such' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('exports the open list as CSV with formula cells neutralised', async () => {
    const { lines } = await exportOpenRecipients(viewer, ref(), { stage: 'unreached' }, ctx.deps);
    let text = '';
    for await (const chunk of lines) text += chunk;
    expect(text.split('\n')).toEqual([
      'external_id,name,email,language,reached,delivery_problem,acknowledged_at,open_remedies',
      `R3,"'=HYPERLINK(""http://evil.example"",""klik"")",r3@example.nl,nl,no,bounced,,rotate-key`,
      'R4,Dirk Dijk,r4@example.nl,nl,no,failed,,update-plugin rotate-key',
      'R6,Frank Nowhere,,en,no,no-email,,update-plugin rotate-key',
      '',
    ]);
  });

  it('refuses readers without case access and unknown cases', async () => {
    await expect(
      getCompletionOverview(nobody, ref(), { timeZone: ZONE }, ctx.deps),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getOpenRecipients(nobody, ref(), {}, {}, ctx.deps)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(exportOpenRecipients(nobody, ref(), {}, ctx.deps)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(
      getCompletionOverview(systemActor('t'), 'INC-1999-999', { timeZone: ZONE }, ctx.deps),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('never shows fewer reached than read: reading the notice proves it arrived', async () => {
    const kase = await ctx.database.db
      .selectFrom('cases')
      .select('id')
      .where('reference', '=', ref())
      .executeTakeFirstOrThrow();
    // The relay's acceptance recorded after the readers' clicks (a clock skew, or a demo
    // history seeded before the worker ran): the curve must not dip below the read line.
    await ctx.database.db
      .updateTable('deliveries')
      .set({ sent_at: NOW.toISOString() })
      .where('state', '=', 'sent')
      .where('dispatch_id', 'in', (eb) =>
        eb.selectFrom('dispatches').select('id').where('case_id', '=', kase.id),
      )
      .execute();
    const { curve } = await getCompletionOverview(
      viewer,
      ref(),
      { timeZone: ZONE, now: NOW },
      ctx.deps,
    );
    curve!.read.forEach((read, day) => expect(curve!.reached[day]!).toBeGreaterThanOrEqual(read));
  });
});
