import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { factsJsonSchema } from '../../src/domain/assessment/facts-json-schema.js';
import { buildApp } from '../../src/http/app.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';
import { WEB12_BREACH } from './facts.js';
import type {
  Assessment,
  AssessmentFacts,
  EffectiveDecision,
} from '../../src/domain/assessment/assessment-facts.js';
import type { OverrideView } from '../../src/services/assessment/assessment.service.js';

interface View {
  factsVersion: number;
  recordedBy: string;
  facts: AssessmentFacts;
  advice: Assessment;
  overrides: OverrideView[];
  effective: EffectiveDecision;
}

describe.each(DIALECTS)('assessment API on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  let ref = '';

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    const actor = systemActor('test');
    for (const [name, role] of [
      ['rita', 'responder'],
      ['abe', 'approver'],
      ['vera', 'viewer'],
    ] as const) {
      await createUser(
        actor,
        { username: name, roles: [role], password: 'correct horse battery' },
        ctx.deps,
      );
      tokens[name] = (await createApiToken(actor, name, { label: 'test' }, ctx.deps)).token;
    }
    app = await buildApp(ctx);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: auth('rita'),
      payload: {
        kind: 'incident',
        title: 'Breach on web12',
        awareAt: new Date(Date.now() - 36 * 3_600_000).toISOString(),
      },
    });
    expect(created.statusCode).toBe(201);
    ref = created.json<{ reference: string }>().reference;
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const auth = (name: string) => ({ authorization: `Bearer ${tokens[name]}` });

  it('has no assessment before facts are recorded; the GDPR clock runs provisionally', async () => {
    const res = await app.inject({ url: `/api/v1/cases/${ref}/assessment`, headers: auth('vera') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      reference: ref,
      factsVersion: null,
      facts: null,
      advice: null,
      overrides: [],
    });
    const clocks = await app.inject({ url: `/api/v1/cases/${ref}/clocks`, headers: auth('vera') });
    expect(clocks.json<{ clocks: { kind: string; provisional: boolean }[] }>().clocks).toEqual([
      expect.objectContaining({ kind: 'gdpr-art33', provisional: true, state: 'running' }),
    ]);
  });

  it('rejects bad facts with one problem per field', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: `/api/v1/cases/${ref}/assessment`,
      headers: auth('rita'),
      payload: { personalData: 'yes', dataSubjects: -3, encryption: 'rot13', extra: 1 },
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['body.personalData', 'body.dataSubjects', 'body.encryption']),
    );
  });

  it('lets a viewer read but not record facts', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: `/api/v1/cases/${ref}/assessment`,
      headers: auth('vera'),
      payload: WEB12_BREACH,
    });
    expect(res.statusCode).toBe(403);
  });

  it('records facts as a new version with the advice, and audits it', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: `/api/v1/cases/${ref}/assessment`,
      headers: auth('rita'),
      payload: WEB12_BREACH,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<View>();
    expect(body.factsVersion).toBe(1);
    expect(body.recordedBy).toBe('rita');
    expect(body.advice.severity).toMatchObject({ score: 4, level: 'very-high' });
    expect(body.advice.authority.notify).toBe(true);
    expect(body.advice.subjects.notify).toBe(true);
    expect(body.effective.authority).toEqual({ notify: true, source: 'advice', rationale: null });
    expect(body.facts.dataSubjects).toBe(1840);
    const nl = await app.inject({
      url: `/api/v1/cases/${ref}/assessment?lang=nl`,
      headers: auth('vera'),
    });
    expect(nl.json<View>().advice.authority.reasons[0]).toContain('AVG art. 33 lid 1');
    const audit = await ctx.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor'])
      .where('action', 'like', 'assessment.%')
      .execute();
    expect(audit).toEqual([{ action: 'assessment.facts', actor: 'rita' }]);
  });

  it('lets only an approver override, with a rationale, and records both', async () => {
    const payload = {
      decision: 'subjects',
      notify: false,
      rationale: 'All passwords were reset before any misuse; see ticket 4711.',
    };
    const denied = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${ref}/assessment/overrides`,
      headers: auth('rita'),
      payload,
    });
    expect(denied.statusCode).toBe(403);
    const short = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${ref}/assessment/overrides`,
      headers: auth('abe'),
      payload: { ...payload, rationale: 'no' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('body.rationale');
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${ref}/assessment/overrides`,
      headers: auth('abe'),
      payload,
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<View>();
    expect(body.advice.subjects.notify).toBe(true);
    expect(body.effective.subjects).toEqual({
      notify: false,
      publicCommunication: false,
      source: 'override',
      rationale: payload.rationale,
    });
    expect(body.overrides).toEqual([
      expect.objectContaining({
        decision: 'subjects',
        notify: false,
        adviceNotify: true,
        decidedBy: 'abe',
        current: true,
        factsVersion: 1,
      }),
    ]);
    const audit = await ctx.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('action', '=', 'assessment.override')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('brings the advice back when new facts are recorded; the override stays in the history', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: `/api/v1/cases/${ref}/assessment`,
      headers: auth('rita'),
      payload: {
        ...WEB12_BREACH,
        nis2: {
          entityType: 'important',
          serviceType: 'cloud',
          unavailability: 'complete',
          unavailabilityMinutes: 45,
        },
      },
    });
    const body = res.json<View>();
    expect(body.factsVersion).toBe(2);
    expect(body.effective.subjects.source).toBe('advice');
    expect(body.overrides[0]!.current).toBe(false);
    expect(body.effective.nis2.significant).toBe(true);
    const clocks = await app.inject({ url: `/api/v1/cases/${ref}/clocks`, headers: auth('vera') });
    const kinds = clocks.json<{ clocks: { kind: string; state: string; elapsedRatio: number }[] }>()
      .clocks;
    expect(kinds.map((c) => c.kind)).toEqual([
      'gdpr-art33',
      'nis2-early-warning',
      'nis2-notification',
      'nis2-final',
    ]);
    expect(kinds[0]!.elapsedRatio).toBeCloseTo(0.5, 2);
    expect(kinds[1]!.state).toBe('overdue');
  });

  it('refuses an override before any facts, and a public communication on another decision', async () => {
    const other = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: auth('rita'),
      payload: { kind: 'incident', title: 'Second incident' },
    });
    const otherRef = other.json<{ reference: string }>().reference;
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${otherRef}/assessment/overrides`,
      headers: auth('abe'),
      payload: {
        decision: 'authority',
        notify: false,
        rationale: 'Nothing happened here at all, honestly.',
      },
    });
    expect(res.statusCode).toBe(409);
    const bad = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${ref}/assessment/overrides`,
      headers: auth('abe'),
      payload: {
        decision: 'authority',
        notify: true,
        publicCommunication: true,
        rationale: 'A rationale long enough to pass.',
      },
    });
    expect(bad.statusCode).toBe(422);
  });

  it('documents the assessment routes in the OpenAPI document', async () => {
    const res = await app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/cases/{case}/assessment',
        '/api/v1/cases/{case}/assessment/overrides',
        '/api/v1/cases/{case}/clocks',
        '/api/v1/schemas/assessment-facts.json',
      ]),
    );
  });

  it('publishes the facts JSON Schema, identical to docs/assessment-facts.schema.json', async () => {
    const res = await app.inject({ url: '/api/v1/schemas/assessment-facts.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/schema\+json/);
    const schema = res.json<{
      properties: Record<string, { description?: string }>;
      required: string[];
    }>();
    expect(schema.required).toEqual(['personalData']);
    expect(schema.properties.encryption!.description).toContain('state-of-the-art');
    const file = new URL('../../docs/assessment-facts.schema.json', import.meta.url);
    // Regenerate with CANDOR_WRITE_SCHEMA=1 after changing the facts schema (then prettier).
    if (process.env.CANDOR_WRITE_SCHEMA === '1')
      fs.writeFileSync(file, `${JSON.stringify(factsJsonSchema(), null, 2)}\n`);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(factsJsonSchema());
  });
});
