import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseDueEmbargoes } from '../../src/services/publication/embargo-release.service.js';
import { listPublicationEventsAfter } from '../../src/services/publication/publication.service.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { listPublicUpdates } from '../../src/store/public-update.repository.js';
import { createPeople, type People } from '../dispatch/scenario.js';
import { createPublicationContext, publishedIncident } from '../publication/public-record.js';

/** "Servers": each its own connection pool on the one PostgreSQL schema, as separate processes. */
const SERVERS = 4;

/**
 * Every `candor serve` runs the embargo release loop. On PostgreSQL their rounds really run at
 * the same time (SQLite has one writer, so there they queue), and a release must still happen
 * once: one release note, one 'released' event for the outbox (so one mail to subscribers and
 * one webhook call), one audit entry. Clock alerts are covered the same way in
 * test/assessment/clock-alerts.test.ts ("never double-sends when two processes run the loop").
 */
describe('scheduled work runs once with several servers on PostgreSQL', () => {
  let ctx: Awaited<ReturnType<typeof createPublicationContext>>;
  let people: People;
  let servers: Database[];
  beforeAll(async () => {
    ctx = await createPublicationContext('postgres');
    people = await createPeople(ctx);
    servers = Array.from({ length: SERVERS }, () => openDatabase(ctx.testDb.config));
  });
  afterAll(async () => {
    await Promise.all((servers ?? []).map((s) => s.close()));
    await ctx?.close();
  });

  it('releases a due embargo once when every server runs its round at the same moment', async () => {
    const cases: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { kase } = await publishedIncident(ctx, people, {
        title: `Embargoed incident ${i}`,
        until: '2030-01-15',
      });
      cases.push(kase.id);
    }
    const due = Date.parse('2030-01-15T00:00:01Z');
    const rounds = await Promise.all(
      servers.map((database) => releaseDueEmbargoes({ database }, { now: due })),
    );
    // Each case released by exactly one of the servers.
    const releasedBy = rounds.flatMap((r) => r.released.map((x) => x.caseId)).sort((x, y) => x - y);
    expect(releasedBy).toEqual([...cases].sort((x, y) => x - y));
    const events = (await listPublicationEventsAfter(ctx.database.db, 0, 1000)).filter(
      (e) => cases.includes(e.caseId) && e.kind === 'released',
    );
    expect(events).toHaveLength(cases.length);
    const notes = (await listPublicUpdates(ctx.database.db, cases)).filter((u) =>
      JSON.stringify(u.texts).includes('The technical details have now been published'),
    );
    expect(notes.map((n) => Number(n.case_id)).sort((x, y) => x - y)).toEqual(
      [...cases].sort((x, y) => x - y),
    );
    const audits = await ctx.database.db
      .selectFrom('audit_events')
      .select('object_id')
      .where('action', '=', 'publication.embargo-release')
      .execute();
    expect(audits).toHaveLength(cases.length);
  });
});
