import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPdfText } from '../../src/channels/letters/pdf-text.js';
import { systemActor } from '../../src/domain/access.js';
import type { ReportView } from '../../src/domain/reports/report-view.js';
import { buildApp } from '../../src/http/app.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';
import { breachCase } from './report-fixture.js';

describe.each(DIALECTS)('reports and register over the API on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  let reference: string;
  let lateReference: string;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    const actor = systemActor('test');
    for (const [name, role] of [
      ['sanne', 'responder'],
      ['anna', 'approver'],
      ['vera', 'viewer'],
      ['carl', 'communicator'],
    ] as const) {
      await createUser(
        actor,
        { username: name, roles: [role], password: 'correct horse battery' },
        ctx.deps,
      );
      tokens[name] = (await createApiToken(actor, name, { label: 'test' }, ctx.deps)).token;
    }
    app = await buildApp(ctx);
    reference = (await breachCase(ctx.database)).reference;
    lateReference = (await breachCase(ctx.database, { hoursAgo: 80 })).reference;
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const auth = (name: string) => ({ authorization: `Bearer ${tokens[name]}` });

  it('drafts, edits, approves with four eyes, submits and exports a report', async () => {
    for (const who of ['vera', 'carl']) {
      const denied = await app.inject({
        method: 'POST',
        url: `/api/v1/cases/${reference}/reports`,
        headers: auth(who),
        payload: { kind: 'gdpr-art33' },
      });
      expect(denied.statusCode).toBe(403);
      expect(denied.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const created = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${reference}/reports`,
      headers: auth('sanne'),
      payload: { kind: 'gdpr-art33' },
    });
    expect(created.statusCode).toBe(201);
    const report = created.json<ReportView>();
    expect(report.versions[0]!.content.fields.dataSubjects!.nl).toContain('12.000');

    const badKind = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${reference}/reports`,
      headers: auth('sanne'),
      payload: { kind: 'gdpr-art34' },
    });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('body.kind');

    const edited = await app.inject({
      method: 'PATCH',
      url: `/api/v1/reports/${report.id}/versions/1`,
      headers: auth('anna'),
      payload: { fields: { other: { nl: 'Aanvullende informatie volgt binnen twee weken.' } } },
    });
    expect(edited.statusCode).toBe(200);
    // Anna edited, so she cannot approve: four eyes.
    const selfApproval = await app.inject({
      method: 'POST',
      url: `/api/v1/reports/${report.id}/versions/1/approval`,
      headers: auth('anna'),
      payload: {},
    });
    expect(selfApproval.statusCode).toBe(403);
    expect(selfApproval.json<{ detail: string }>().detail).toMatch(/four-eyes/);

    const listed = await app.inject({
      url: `/api/v1/cases/${reference}/reports`,
      headers: auth('vera'),
    });
    expect(listed.statusCode).toBe(200);
    expect(
      listed.json<{ clocks: Record<string, { dueAt: string }> }>().clocks['gdpr-art33']!.dueAt,
    ).toBeTruthy();

    const unapproved = await app.inject({
      method: 'POST',
      url: `/api/v1/reports/${report.id}/versions/1/submission`,
      headers: auth('sanne'),
      payload: { authorityReference: 'AP-1' },
    });
    expect(unapproved.statusCode).toBe(409);

    const text = await app.inject({
      url: `/api/v1/reports/${report.id}/versions/latest/export?format=sheet&lang=nl`,
      headers: auth('vera'),
    });
    expect(text.statusCode).toBe(200);
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.headers['content-disposition']).toBe(
      `attachment; filename="${reference}-gdpr-art33-v1.sheet-nl.txt"`,
    );
    expect(text.body).toContain('Aanvullende informatie volgt binnen twee weken.');

    const pdf = await app.inject({
      url: `/api/v1/reports/${report.id}/versions/1/export?format=pdf&lang=en`,
      headers: auth('vera'),
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(extractPdfText(pdf.rawPayload).flat).toContain('Not yet approved (four eyes)');

    const json = await app.inject({
      url: `/api/v1/reports/${report.id}/versions/1/export?format=json`,
      headers: auth('vera'),
    });
    expect(json.json<{ format: string; status: string }>()).toMatchObject({
      format: 'candor-report/1',
      status: 'draft',
    });
    const schema = await app.inject({ url: '/api/v1/schemas/report-export.json' });
    expect(schema.statusCode).toBe(200);
    expect(schema.json<{ properties: Record<string, unknown> }>().properties).toHaveProperty(
      'fields',
    );
  });

  it('refuses a late submission without the reason for the delay, naming the field', async () => {
    const created = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${lateReference}/reports`,
      headers: auth('sanne'),
      payload: { kind: 'gdpr-art33' },
    });
    const id = created.json<ReportView>().id;
    const approved = await app.inject({
      method: 'POST',
      url: `/api/v1/reports/${id}/versions/1/approval`,
      headers: auth('anna'),
      payload: { contentHash: created.json<ReportView>().versions[0]!.contentHash },
    });
    expect(approved.statusCode).toBe(200);
    const viewerSubmit = await app.inject({
      method: 'POST',
      url: `/api/v1/reports/${id}/versions/1/submission`,
      headers: auth('vera'),
      payload: { authorityReference: 'AP-2' },
    });
    expect(viewerSubmit.statusCode).toBe(403);
    const late = await app.inject({
      method: 'POST',
      url: `/api/v1/reports/${id}/versions/1/submission`,
      headers: auth('sanne'),
      payload: { authorityReference: 'AP-2' },
    });
    expect(late.statusCode).toBe(422);
    expect(late.json<{ errors: { field: string }[] }>().errors).toEqual([
      expect.objectContaining({ field: 'delayReason' }),
    ]);
    const ok = await app.inject({
      method: 'POST',
      url: `/api/v1/reports/${id}/versions/1/submission`,
      headers: auth('sanne'),
      payload: {
        authorityReference: 'AP-2',
        delayReason: 'Omvang pas na forensisch onderzoek bekend.',
      },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<ReportView>().versions[0]).toMatchObject({
      status: 'submitted',
      authorityReference: 'AP-2',
    });

    const supplement = await app.inject({
      method: 'POST',
      url: `/api/v1/reports/${id}/versions`,
      headers: auth('sanne'),
      payload: {},
    });
    expect(supplement.statusCode).toBe(201);
    expect(supplement.json<ReportView>().versions).toHaveLength(2);
  });

  it('serves the register to readers and its exports to exporters', async () => {
    const list = await app.inject({ url: '/api/v1/register?notified=yes', headers: auth('vera') });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ reference: string }[]>().map((e) => e.reference)).toEqual([lateReference]);
    const bad = await app.inject({ url: '/api/v1/register?severity=huge', headers: auth('vera') });
    expect(bad.statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/register', headers: auth('carl') })).statusCode).toBe(
      403,
    );
    expect(
      (await app.inject({ url: '/api/v1/register/export?format=csv', headers: auth('vera') }))
        .statusCode,
    ).toBe(403);
    const csv = await app.inject({
      url: '/api/v1/register/export?format=csv',
      headers: auth('sanne'),
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.split('\n')[0]).toMatch(/^reference,kind,title/);
    expect(csv.body).toContain(reference);
    const pdf = await app.inject({
      url: '/api/v1/register/export?format=pdf&lang=en&notified=no',
      headers: auth('anna'),
    });
    expect(pdf.statusCode).toBe(200);
    expect(extractPdfText(pdf.rawPayload).flat).toContain('Breach register (GDPR Art. 33(5))');
  });
});
