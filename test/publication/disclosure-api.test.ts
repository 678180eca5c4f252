import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { PublishedCase } from '../../src/domain/publication.js';
import type { DisclosureReport } from '../../src/services/publication/disclosure.service.js';
import { createCase } from '../../src/services/cases/case.service.js';
import { createApiToken } from '../../src/services/access/user.service.js';
import { DIALECTS } from '../support/databases.js';
import type { People } from '../dispatch/scenario.js';
import { createPeople, createPublicationContext, EMBARGOED_SENTENCE } from './public-record.js';

describe.each(DIALECTS)('publication API on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createPublicationContext>>;
  let people: People;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  beforeAll(async () => {
    ctx = await createPublicationContext(dialect);
    people = await createPeople(ctx);
    for (const who of ['joost', 'fatima', 'sanne', 'vera', 'admin'] as const) {
      if (who === 'admin') continue;
      tokens[who] = (await createApiToken(people.admin, who, { label: 'test' }, ctx.deps)).token;
    }
    app = await buildApp(ctx);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('blocks approval on disclosure findings until each is fixed or accepted, then publishes', async () => {
    await app
      .inject({
        method: 'PUT',
        url: '/api/v1/publication/settings',
        headers: as('sanne'),
        payload: { internalDomains: ['corp.example.com'] },
      })
      .then((r) => expect(r.statusCode).toBe(403));
    const { createUser } = await import('../../src/services/access/user.service.js');
    await createUser(
      people.admin,
      { username: `root-${dialect}`, roles: ['admin'], password: 'correct horse battery staple' },
      ctx.deps,
    );
    tokens.root = (
      await createApiToken(people.admin, `root-${dialect}`, { label: 't' }, ctx.deps)
    ).token;
    const settings = await app.inject({
      method: 'PUT',
      url: '/api/v1/publication/settings',
      headers: as('root'),
      payload: { internalDomains: ['corp.example.com'], readabilityThreshold: 50 },
    });
    expect(settings.json()).toMatchObject({
      internalDomains: ['corp.example.com'],
      readabilityThreshold: 50,
      internalNames: [],
    });

    const kase = await createCase(
      people.sanne,
      { kind: 'incident', title: 'Outage with data exposure' },
      ctx.deps,
    );
    const created = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${kase.reference}/notices`,
      headers: as('joost'),
      payload: {
        audience: 'public',
        defaultLanguage: 'en',
        texts: {
          en: {
            subject: 'Outage',
            body: `The database db7.corp.example.com at 10.20.0.7 was exposed.\n\n:::embargo until=resolved\n${EMBARGOED_SENTENCE}\n:::\n`,
          },
        },
      },
    });
    expect(created.statusCode).toBe(201);
    const noticeId = created.json<{ id: number }>().id;
    const base = `/api/v1/cases/${kase.reference}/publication`;
    const report = (
      await app.inject({ url: `${base}/notices/${noticeId}/disclosure`, headers: as('vera') })
    ).json<DisclosureReport>();
    expect(report.findings.map((f) => f.rule)).toEqual(['internal-host', 'private-ip']);
    expect(report.open).toBe(2);

    const refused = await app.inject({
      method: 'POST',
      url: `/api/v1/notices/${noticeId}/approval`,
      headers: as('fatima'),
      payload: {},
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('disclosure check has 2 open findings');

    // Accept one with a reason (who and why are kept), fix the other.
    const [host, ip] = report.findings;
    const noReason = await app.inject({
      method: 'POST',
      url: `${base}/notices/${noticeId}/disclosure/accept`,
      headers: as('joost'),
      payload: { fingerprint: host!.fingerprint, reason: '' },
    });
    expect(noReason.statusCode).toBe(422);
    const accepted = await app.inject({
      method: 'POST',
      url: `${base}/notices/${noticeId}/disclosure/accept`,
      headers: as('joost'),
      payload: {
        fingerprint: host!.fingerprint,
        reason: 'the host name is already public in our status page',
      },
    });
    expect(accepted.json<DisclosureReport>().open).toBe(1);
    expect(accepted.json<DisclosureReport>().findings[0]!.accepted).toMatchObject({ by: 'joost' });
    expect(ip).toBeDefined();
    const stillRefused = await app.inject({
      method: 'POST',
      url: `/api/v1/notices/${noticeId}/approval`,
      headers: as('fatima'),
      payload: {},
    });
    expect(stillRefused.statusCode).toBe(422);
    await app
      .inject({
        method: 'PATCH',
        url: `/api/v1/notices/${noticeId}`,
        headers: as('joost'),
        payload: {
          texts: {
            en: {
              subject: 'Outage',
              body: `The database db7.corp.example.com was exposed.\n\n:::embargo until=resolved\n${EMBARGOED_SENTENCE}\n:::\n`,
            },
          },
        },
      })
      .then((r) => expect(r.statusCode).toBe(200));
    const approved = await app.inject({
      method: 'POST',
      url: `/api/v1/notices/${noticeId}/approval`,
      headers: as('fatima'),
      payload: {},
    });
    expect(approved.statusCode).toBe(200);

    const readability = (
      await app.inject({ url: `${base}/notices/${noticeId}/readability`, headers: as('vera') })
    ).json<{ threshold: number; languages: Record<string, { formula: string }> }>();
    expect(readability.threshold).toBe(50);
    expect(readability.languages.en!.formula).toBe('flesch');

    expect(
      (await app.inject({ method: 'POST', url: `${base}/publish`, headers: as('joost') }))
        .statusCode,
    ).toBe(403);
    const published = await app.inject({
      method: 'POST',
      url: `${base}/publish`,
      headers: as('sanne'),
    });
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({
      published: true,
      embargo: [{ condition: 'resolved', released: false }],
    });
    const snapshot = (
      await app.inject({ url: `${base}/snapshot`, headers: as('vera') })
    ).json<PublishedCase>();
    expect(snapshot.texts.en!.body).not.toContain(EMBARGOED_SENTENCE);

    const update = await app.inject({
      method: 'POST',
      url: `${base}/updates`,
      headers: as('sanne'),
      payload: { status: 'contained', texts: { en: 'Contained.' } },
    });
    expect(update.statusCode).toBe(201);
    const release = await app.inject({
      method: 'POST',
      url: `${base}/embargo/release`,
      headers: as('sanne'),
    });
    expect(release.json()).toEqual({ conditions: ['resolved'] });
    const after = (
      await app.inject({ url: `${base}/snapshot`, headers: as('vera') })
    ).json<PublishedCase>();
    expect(after.texts.en!.body).toContain(EMBARGOED_SENTENCE);
    expect(after.updates.map((u) => u.status)).toEqual(['contained', 'update']);
  });
});
