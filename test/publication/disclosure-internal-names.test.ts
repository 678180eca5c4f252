import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { createCase } from '../../src/services/cases/case.service.js';
import type { DisclosureReport } from '../../src/services/publication/disclosure.service.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { listAuditEventsFiltered } from '../../src/store/audit-view.repository.js';
import { z } from 'zod';
import { readJson } from '../../src/store/executor.js';
import { DIALECTS } from '../support/databases.js';
import type { People } from '../dispatch/scenario.js';
import { createPeople, createPublicationContext } from './public-record.js';

/**
 * The internal-name rule end to end: registry attributes that name our servers, names from the
 * settings, which audiences are checked, and that approval waits for each finding.
 */
describe.each(DIALECTS)('internal names in the disclosure check on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createPublicationContext>>;
  let people: People;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  let caseRef = '';

  const importJsonl = async (rows: Record<string, unknown>[]) => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/customers/imports',
      headers: { ...as('root'), 'content-type': 'application/x-ndjson' },
      payload: rows.map((row) => JSON.stringify(row)).join('\n') + '\n',
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ rejected: 0 });
  };
  const settings = (payload: Record<string, unknown>) =>
    app.inject({
      method: 'PUT',
      url: '/api/v1/publication/settings',
      headers: as('root'),
      payload,
    });
  const notice = async (audience: 'public' | 'press' | 'affected', body: string) => {
    const r = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseRef}/notices`,
      headers: as('joost'),
      payload: { audience, defaultLanguage: 'en', texts: { en: { subject: 'Outage', body } } },
    });
    expect(r.statusCode).toBe(201);
    return r.json<{ id: number }>().id;
  };
  const report = async (id: number) =>
    (
      await app.inject({
        url: `/api/v1/cases/${caseRef}/publication/notices/${id}/disclosure`,
        headers: as('vera'),
      })
    ).json<DisclosureReport>();
  const internalNames = async (id: number) =>
    (await report(id)).findings
      .filter((f) => f.rule === 'internal-name')
      .map((f) => [f.excerpt, f.message]);
  const approve = (id: number) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/notices/${id}/approval`,
      headers: as('fatima'),
      payload: {},
    });

  beforeAll(async () => {
    ctx = await createPublicationContext(dialect);
    people = await createPeople(ctx);
    await createUser(
      people.admin,
      { username: 'root', roles: ['admin'], password: 'correct horse battery staple' },
      ctx.deps,
    );
    for (const who of ['joost', 'fatima', 'sanne', 'vera', 'root'])
      tokens[who] = (await createApiToken(people.admin, who, { label: 'test' }, ctx.deps)).token;
    app = await buildApp(ctx);
    const kase = await createCase(
      people.sanne,
      { kind: 'incident', title: 'Shared hosting outage' },
      ctx.deps,
    );
    caseRef = kase.reference;
    await importJsonl([
      { external_id: 'c1', email: 'c1@example.com', name: 'Bakkerij Jansen', server: 'cp3' },
      {
        external_id: 'c2',
        email: 'c2@example.com',
        name: 'Garage Smit',
        servers: ['web12', 'db4'],
      },
      // Not a configured key; too short; only digits.
      { external_id: 'c3', email: 'c3@example.com', name: 'Kapsalon Els', rack: 'r77x' },
      { external_id: 'c4', email: 'c4@example.com', name: 'Tuin BV', host: 'x', node: '42' },
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('validates the settings, keeps the default attribute keys and audits the change', async () => {
    const bad = await settings({ internalNames: ['cp3.', '7'], infrastructureAttributeKeys: [''] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string; message: string }[] }>().errors).toEqual(
      expect.arrayContaining([
        {
          field: 'internalNames.0',
          message: 'must start and end with a letter or digit and not be only digits',
        },
        { field: 'internalNames.1', message: 'must be at least 2 characters' },
        { field: 'infrastructureAttributeKeys.0', message: 'must not be empty' },
      ]),
    );
    const ok = await settings({ internalNames: ['db-cluster-2'] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      internalNames: ['db-cluster-2'],
      infrastructureAttributeKeys: [
        'server',
        'servers',
        'host',
        'hosts',
        'hostname',
        'cluster',
        'node',
        'nodes',
      ],
    });
    const [audited] = await listAuditEventsFiltered(ctx.database.db, {
      action: 'settings.update',
      objectId: 'publication',
      limit: 1,
    });
    expect(audited!.actor).toBe('root');
    const details = readJson(
      audited!.details,
      z.object({
        internalNames: z.array(z.string()),
        infrastructureAttributeKeys: z.array(z.string()),
      }),
    );
    expect(details.internalNames).toEqual(['db-cluster-2']);
    expect(details.infrastructureAttributeKeys).toContain('servers');
  });

  it('flags registry server names in a public notice and refuses approval until accepted', async () => {
    const id = await notice(
      'public',
      'Sites on server cp3 were slow.\nWEB12 too; r77x, cp30 and db4x were fine.',
    );
    expect(await internalNames(id)).toEqual([
      ['cp3', "'cp3' is an internal name: value of the registry attribute `server`"],
      ['WEB12', "'WEB12' is an internal name: value of the registry attribute `servers`"],
    ]);
    const refused = await approve(id);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('disclosure check has 2 open findings');
    expect(refused.body).toContain('internal name');

    for (const f of (await report(id)).findings) {
      const accepted = await app.inject({
        method: 'POST',
        url: `/api/v1/cases/${caseRef}/publication/notices/${id}/disclosure/accept`,
        headers: as('joost'),
        payload: { fingerprint: f.fingerprint, reason: 'our status page names these servers' },
      });
      expect(accepted.statusCode).toBe(200);
    }
    expect((await report(id)).open).toBe(0);
    expect((await approve(id)).statusCode).toBe(200);
  });

  it('checks a timeline update of the published case as a public text', async () => {
    const base = `/api/v1/cases/${caseRef}/publication`;
    const published = await app.inject({
      method: 'POST',
      url: `${base}/publish`,
      headers: as('sanne'),
    });
    expect(published.statusCode).toBe(200);
    const update = (extra: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: `${base}/updates`,
        headers: as('sanne'),
        payload: { status: 'contained', texts: { en: 'Server cp3 is back.' }, ...extra },
      });
    const refused = await update({});
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain("'cp3' is an internal name");
    expect((await update({ acceptFindingsReason: 'named on the status page' })).statusCode).toBe(
      201,
    );
  });

  it('leaves a customer notice free to name the customer’s own server', async () => {
    const id = await notice('affected', 'Your site on cp3 was slow; db-cluster-2 was fine.');
    expect(await internalNames(id)).toEqual([]);
  });

  it('flags a name from the settings in a press notice', async () => {
    const id = await notice('press', 'The storage of DB-Cluster-2 failed.');
    expect(await internalNames(id)).toEqual([
      [
        'DB-Cluster-2',
        "'DB-Cluster-2' is an internal name: listed as an internal name in settings",
      ],
    ]);
    expect((await approve(id)).statusCode).toBe(422);
  });

  it('uses only the configured attribute keys, matched case-insensitively', async () => {
    const id = await notice('public', 'Hosts cp3, web12 and r77x.');
    expect(
      (await settings({ infrastructureAttributeKeys: ['Server', 'RACK'] })).json(),
    ).toMatchObject({ infrastructureAttributeKeys: ['server', 'rack'] });
    expect((await internalNames(id)).map(([excerpt]) => excerpt)).toEqual(['cp3', 'r77x']);
    await settings({ infrastructureAttributeKeys: [] });
    expect(await internalNames(id)).toEqual([]);
    await settings({ infrastructureAttributeKeys: ['server', 'servers'] });
  });

  it('sees a server that an import added after the last check', async () => {
    const id = await notice('public', 'Moved to cp9.');
    expect(await internalNames(id)).toEqual([]);
    await importJsonl([{ external_id: 'c5', email: 'c5@example.com', server: 'cp9' }]);
    expect(await internalNames(id)).toEqual([
      ['cp9', "'cp9' is an internal name: value of the registry attribute `server`"],
    ]);
  });
});
