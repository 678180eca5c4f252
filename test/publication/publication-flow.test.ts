import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { updateCase } from '../../src/services/cases/case.service.js';
import {
  approveNotice,
  createNotice,
  updateNotice,
} from '../../src/services/notices/notice.service.js';
import {
  getPublishedCase,
  listPublicationEventsAfter,
  listPublishedCases,
  publicSiteRevision,
} from '../../src/services/publication/publication.service.js';
import {
  publishCase,
  publicationStatus,
} from '../../src/services/publication/publication-publish.service.js';
import {
  releaseDueEmbargoes,
  releaseEmbargoNow,
} from '../../src/services/publication/embargo-release.service.js';
import { databaseLeases, JobRunner } from '../../src/jobs/job-runner.js';
import { postPublicUpdate } from '../../src/services/publication/public-update.service.js';
import { createUser } from '../../src/services/access/user.service.js';
import { listRecentAuditEvents } from '../../src/store/audit.repository.js';
import type { People } from '../dispatch/scenario.js';
import {
  createPeople,
  createPublicationContext,
  EMBARGOED_SENTENCE,
  publishedIncident,
} from './public-record.js';

describe.each(DIALECTS)('the public record on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createPublicationContext>>;
  let people: People;
  beforeAll(async () => {
    ctx = await createPublicationContext(dialect);
    people = await createPeople(ctx);
  });
  afterAll(async () => ctx?.close());

  it('refuses to publish without an approved public notice, and four eyes apply', async () => {
    const { kase, notice } = await publishedIncident(ctx, people, { publish: false });
    await updateNotice(people.joost, notice.id, { title: 'changed' }, ctx.deps);
    const draft = await createNotice(people.joost, kase.id, { audience: 'public' }, ctx.deps);
    await expect(publishCase(people.sanne, kase.id, ctx.deps)).rejects.toThrow(
      /no approved public notice/,
    );
    await expect(approveNotice(people.joost, draft.id, {}, ctx.deps)).rejects.toThrow(/may not/);
    // An approver who also wrote the text may not sign it off.
    const { user } = await createUser(
      people.admin,
      {
        username: `pieter-${dialect}`,
        roles: ['communicator', 'approver'],
        password: 'correct horse battery staple',
      },
      ctx.deps,
    );
    const pieter = {
      kind: 'user' as const,
      userId: user.id,
      name: user.username,
      roles: ['communicator', 'approver'] as const,
      source: 'test',
    };
    await updateNotice(pieter, draft.id, { title: 'Public notice, edited by pieter' }, ctx.deps);
    await expect(approveNotice(pieter, draft.id, {}, ctx.deps)).rejects.toThrow(/four-eyes/);
    await expect(publishCase(people.joost, kase.id, ctx.deps)).rejects.toThrow(/may not/);
    // The built-in public template holds an embargo block and case placeholders.
    expect(draft.texts.nl!.body).toContain(':::embargo until=resolved');
  });

  it('publishes with the embargo hidden, then releases it when the case is resolved', async () => {
    const before = await publicSiteRevision(ctx.database.db);
    const { kase } = await publishedIncident(ctx, people);
    const published = (await getPublishedCase(ctx.database.db, kase.reference))!;
    expect(published.texts.en!.body).not.toContain(EMBARGOED_SENTENCE);
    expect(published.texts.en!.body).not.toContain(':::');
    expect(published.texts.nl!.body).not.toContain('upload');
    expect(published.embargoPending).toBe(true);
    expect(published.paths.page).toBe(`/security/${published.year}/${published.slug}`);
    expect(published.slug).toMatch(/^inc-\d{4}-\d{4}-security-incident-at-example-hosting$/);
    expect(published.revisions.map((r) => r.number)).toEqual([1]);
    expect(published.transparency.hoursToPublicNotice).toBeGreaterThanOrEqual(5.9);
    expect(published.transparency.hoursToFirstCustomerNotice).toBeNull();
    expect(await publicSiteRevision(ctx.database.db)).toBe(before + 1);

    // Nothing is due yet.
    expect((await releaseDueEmbargoes(ctx.deps, { caseId: kase.id })).released).toEqual([]);
    await updateCase(
      people.sanne,
      kase.id,
      { state: 'resolved', resolvedAt: new Date().toISOString() },
      ctx.deps,
    );
    // Resolving released it at once, without waiting for the scheduler.
    expect((await releaseDueEmbargoes(ctx.deps)).released).toEqual([]);
    const after = (await getPublishedCase(ctx.database.db, kase.reference))!;
    expect(after.texts.en!.body).toContain(EMBARGOED_SENTENCE);
    expect(after.embargoPending).toBe(false);
    expect(after.updates.at(-1)!.text.en).toMatch(/technical details/i);
    expect(after.revisions.map((r) => r.number)).toEqual([1, 2]);
    const events = await listPublicationEventsAfter(ctx.database.db, 0, 100);
    expect(events.filter((e) => e.caseId === kase.id).map((e) => e.kind)).toEqual([
      'published',
      'released',
    ]);
    const audit = await listRecentAuditEvents(ctx.database.db, { limit: 20 });
    expect(audit.map((a) => a.action)).toContain('publication.embargo-release');
    // A second run releases nothing.
    expect((await releaseDueEmbargoes(ctx.deps)).released).toEqual([]);
  });

  it('releases a dated embargo when the date passes, and by hand', async () => {
    const { kase } = await publishedIncident(ctx, people, { until: '2030-01-15' });
    expect((await releaseDueEmbargoes(ctx.deps, { caseId: kase.id })).released).toEqual([]);
    const due = await releaseDueEmbargoes(ctx.deps, {
      caseId: kase.id,
      now: Date.parse('2030-01-15T00:00:01Z'),
    });
    expect(due.released).toEqual([{ caseId: kase.id, conditions: ['2030-01-15'] }]);
    expect((await getPublishedCase(ctx.database.db, kase.reference))!.texts.en!.body).toContain(
      EMBARGOED_SENTENCE,
    );

    const other = await publishedIncident(ctx, people, { until: '2031-01-01' });
    await expect(releaseEmbargoNow(people.joost, other.kase.id, ctx.deps)).rejects.toThrow(
      /may not/,
    );
    expect(await releaseEmbargoNow(people.sanne, other.kase.id, ctx.deps)).toEqual({
      conditions: ['2031-01-01'],
    });
    const status = await publicationStatus(people.vera, other.kase.id, ctx.deps);
    expect(status.embargo).toEqual([{ condition: '2031-01-01', released: true }]);
    await expect(releaseEmbargoNow(people.sanne, other.kase.id, ctx.deps)).rejects.toThrow(
      /no embargoed text/,
    );
  });

  it('releases by itself: the scheduler serve runs picks up a resolved case', async () => {
    const { kase } = await publishedIncident(ctx, people);
    const scheduler = new JobRunner({
      leases: databaseLeases(ctx.database),
      onError: () => {},
    }).add({
      name: 'embargoes',
      everyMs: 50,
      exclusive: true,
      run: () => releaseDueEmbargoes(ctx.deps).then(() => undefined),
    });
    scheduler.start();
    try {
      await updateCase(people.sanne, kase.id, { state: 'resolved' }, ctx.deps);
      const started = Date.now();
      let body = '';
      while (Date.now() - started < 5000) {
        body = (await getPublishedCase(ctx.database.db, kase.reference))!.texts.en!.body;
        if (body.includes(EMBARGOED_SENTENCE)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(body).toContain(EMBARGOED_SENTENCE);
    } finally {
      await scheduler.stop();
    }
  });

  it('posts timeline updates and republishes a newly approved text as a new revision', async () => {
    const { kase, notice } = await publishedIncident(ctx, people);
    await postPublicUpdate(
      people.sanne,
      kase.id,
      { status: 'identified', texts: { en: 'We found the cause.', nl: 'We weten de oorzaak.' } },
      ctx.deps,
    );
    await expect(
      postPublicUpdate(
        people.sanne,
        kase.id,
        { status: 'update', texts: { en: 'See 10.0.0.7' } },
        ctx.deps,
      ),
    ).rejects.toThrow(/disclosure check/);
    await expect(publishCase(people.sanne, kase.id, ctx.deps)).rejects.toThrow(/nothing new/);
    await updateNotice(
      people.joost,
      notice.id,
      {
        texts: {
          ...(await import('./public-record.js')).publicTexts(),
          en: {
            subject: 'Security incident at Example Hosting (update)',
            body: 'We closed the hole.',
          },
        },
      },
      ctx.deps,
    );
    await approveNotice(people.fatima, notice.id, {}, ctx.deps);
    await publishCase(people.sanne, kase.id, ctx.deps);
    const p = (await getPublishedCase(ctx.database.db, kase.reference))!;
    expect(p.texts.en!.title).toBe('Security incident at Example Hosting (update)');
    expect(p.updates.map((u) => u.status)).toEqual(['identified']);
    expect(p.revisions.map((r) => r.summary)).toEqual([
      'published',
      'update: identified',
      'public notice updated',
    ]);
    // The slug stays stable although the title changed.
    expect(p.slug).toMatch(/security-incident-at-example-hosting$/);
    const all = await listPublishedCases(ctx.database.db);
    expect(all[0]!.reference).toBe(kase.reference);
  });
});
