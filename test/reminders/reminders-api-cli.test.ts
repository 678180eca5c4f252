import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { buildApp } from '../../src/http/app.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { createTestContext } from '../support/app-context.js';
import { runCandor, type CandorRun } from '../support/candor-process.js';
import { DIALECTS, databaseUrl } from '../support/databases.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import {
  createReminderCase,
  DAY,
  peerFaults,
  reminderNotice,
  type ReminderCase,
} from './reminder-case.js';

/** The reminders API and `candor reminders`, on both engines. */
describe.each(DIALECTS)('reminders API and CLI on %s', { timeout: 400_000 }, (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let smtp: SmtpPeer;
  let app: FastifyInstance;
  let c: ReminderCase;
  let dir: string;
  const tokens: Record<string, string> = {};
  const call = (user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    app.inject({
      method,
      url: `/api/v1/cases/${c.reference}${url}`,
      headers: { authorization: `Bearer ${tokens[user]}` },
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
    });
  const candor = (args: string[]): Promise<CandorRun> =>
    runCandor(args, { dataDir: dir, databaseUrl: databaseUrl(ctx.testDb.config) });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-reminders-'));
    ctx = await createTestContext(dialect);
    fs.writeFileSync(path.join(dir, 'secret.key'), ctx.deps.secret.toString('base64url'));
    smtp = await startSmtpPeer({ faults: peerFaults });
    const admin = systemActor('test');
    for (const [name, role] of [
      ['sanne', 'responder'],
      ['vera', 'viewer'],
    ] as const) {
      await createUser(
        admin,
        { username: name, roles: [role], password: 'correct horse battery' },
        ctx.deps,
      );
      tokens[name] = (await createApiToken(admin, name, { label: 'test' }, ctx.deps)).token;
    }
    c = await createReminderCase(ctx, smtp, 'AP', 3);
    app = await buildApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adds rules with field-named errors, and lists rules, sends and effect', async () => {
    const noticeId = await reminderNotice(ctx, c.caseId);
    const good = { noticeId, condition: 'not-acknowledged', days: 1, maxSends: 2 };
    expect((await call('vera', 'POST', '/reminders', good)).statusCode).toBe(403);
    const bad = await call('sanne', 'POST', '/reminders', { ...good, days: 0, maxSends: 'x' });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.days', 'body.maxSends']));
    const noRemedy = await call('sanne', 'POST', '/reminders', {
      ...good,
      condition: 'not-completed',
    });
    expect(noRemedy.statusCode).toBe(400);
    expect(JSON.stringify(noRemedy.json())).toContain('remedy');
    const unknown = await call('sanne', 'POST', '/reminders', { ...good, noticeId: 98_765 });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ errors: [{ field: 'noticeId' }] });

    const created = await call('sanne', 'POST', '/reminders', good);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ condition: 'not-acknowledged', runs: 0 });
    const listed = await call('vera', 'GET', '/reminders');
    expect(listed.json()).toMatchObject({
      rules: [{ id: created.json<{ id: number }>().id, noticeApproved: true }],
    });
    // Not due yet (one day after the first dispatch).
    const run = await call('sanne', 'POST', '/reminders/run');
    expect(run.json()).toMatchObject({ results: [{ outcome: 'not-due' }] });
    expect((await call('vera', 'GET', '/reminders/sends')).json()).toEqual({
      sends: [],
      effect: [],
    });
    const esc = await call('sanne', 'PUT', '/reminders/escalation', {
      enabled: true,
      afterDays: -1,
    });
    expect(esc.statusCode).toBe(400);
    expect(JSON.stringify(esc.json())).toContain('body.afterDays');
  });

  it('candor reminders add, run, list and escalate', async () => {
    const noticeId = await reminderNotice(ctx, c.caseId);
    const added = await candor([
      'reminders',
      'add',
      c.reference,
      '--notice',
      String(noticeId),
      '--days',
      '1',
    ]);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^rule \d+: not-acknowledged after 1 days/);
    // Make the rules due: the first dispatch went out two days ago.
    await ctx.database.db
      .updateTable('dispatches')
      .set({ created_at: new Date(Date.now() - 2 * DAY).toISOString() })
      .where('id', '=', c.dispatchId)
      .execute();
    const run = await candor(['reminders', 'run', '--case', c.reference, '--json']);
    expect(run.code).toBe(0);
    const results = JSON.parse(run.stdout) as { outcome: string; recipients: number }[];
    // Both rules (API's and CLI's) send to AP-01…03 and AP-FAIL.
    expect(results.map((r) => [r.outcome, r.recipients])).toEqual([
      ['sent', 4],
      ['sent', 4],
    ]);
    const list = await candor(['reminders', 'list', c.reference]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('2 rule(s)');
    expect(list.stdout).toMatch(/sent .*: rule \d+ run 1, 4 of 4 chosen/);
    expect(list.stdout).toContain('acknowledged: before 0/');
    expect(list.stdout).toMatch(/escalation off after 14 days/);
    const dry = await candor([
      'reminders',
      'escalate',
      c.reference,
      '--enable',
      '--after-days',
      '0',
      '--dry-run',
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      /escalation on after 0 days: 6 for a letter — no email 1, bounced 1, failed 1, no reaction 3/,
    );
    const out = path.join(dir, 'print');
    const built = await candor(['reminders', 'escalate', c.reference, '--out', out]);
    expect(built.code).toBe(0);
    expect(built.stdout).toContain('6 letters in 1 batch(es)');
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.pdf'))).toHaveLength(1);
  });
});
