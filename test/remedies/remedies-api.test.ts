import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import type { RemedyList } from '../../src/services/remedies/remedy.service.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';

type Problem = { detail: string; errors: { field: string; message: string }[] };
import { buildPageApp } from '../personal-page/page-app.js';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import { bounceCustomers } from '../bounces/bounce-context.js';

const texts = (title: string) => ({
  nl: { title: `${title} (nl)`, instructions: '1. Log in.\n2. Klik **Bijwerken**.' },
  en: { title, instructions: '1. Log in.\n2. Click **Update**.' },
});

describe.each(DIALECTS)('remedies API on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let app: FastifyInstance;
  let recall: RecallCase;
  const tokens: Record<string, string> = {};
  const auth = (name: string) => ({ authorization: `Bearer ${tokens[name]}` });
  const url = (tail = '') => `/api/v1/cases/${recall.reference}/remedies${tail}`;
  const confirm = (key: string, externalIds: string[], withdraw = false) =>
    app.inject({
      method: 'POST',
      url: url(`/${key}/confirmations${withdraw ? '/withdraw' : ''}`),
      headers: auth('rita'),
      payload: { externalIds },
    });
  const events = (key: string) =>
    ctx.database.db
      .selectFrom('remedy_completion_events as e')
      .innerJoin('remedies as r', 'r.id', 'e.remedy_id')
      .innerJoin('case_recipients as c', 'c.id', 'e.recipient_id')
      .select(['c.external_id', 'e.source', 'e.action'])
      .where('r.key', '=', key)
      .orderBy('e.id')
      .execute();
  const completedEvents = () =>
    ctx.database.db
      .selectFrom('recall_events')
      .select(['recipient_id', 'data'])
      .where('kind', '=', 'remedy.completed')
      .where('case_id', '=', recall.caseId)
      .execute();

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    recall = await createRecallCase(ctx, bounceCustomers('RM', 4));
    const admin = systemActor('test');
    for (const [name, role] of [
      ['rita', 'responder'],
      ['cor', 'communicator'],
      ['vera', 'viewer'],
    ] as const) {
      await createUser(
        admin,
        { username: name, roles: [role], password: 'correct horse battery' },
        ctx.deps,
      );
      tokens[name] = (await createApiToken(admin, name, { label: 'test' }, ctx.deps)).token;
    }
    app = await buildPageApp(ctx);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('refuses bad input naming the field, and a viewer', async () => {
    const badKey = await app.inject({
      method: 'POST',
      url: url(),
      headers: auth('cor'),
      payload: { key: 'Change Password!', completion: 'customer', texts: texts('Change') },
    });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json<Problem>().errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'body.key' })]),
    );
    const badRule = await app.inject({
      method: 'POST',
      url: url(),
      headers: auth('cor'),
      payload: { key: 'x', completion: 'sometimes', texts: texts('X') },
    });
    expect(badRule.statusCode).toBe(400);
    expect(badRule.json<Problem>().errors[0]?.field).toBe('body.completion');
    // The notice is written in Dutch and English: an English-only remedy lacks Dutch.
    const missing = await app.inject({
      method: 'POST',
      url: url(),
      headers: auth('cor'),
      payload: { key: 'x', completion: 'customer', texts: { en: texts('X').en } },
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json<Problem>().errors).toEqual([
      expect.objectContaining({ field: 'texts.nl.title' }),
    ]);
    const viewer = await app.inject({
      method: 'POST',
      url: url(),
      headers: auth('vera'),
      payload: { key: 'x', completion: 'customer', texts: texts('X') },
    });
    expect(viewer.statusCode).toBe(403);
    expect(viewer.json<Problem>().detail).toContain('remedies:manage');
    const viewerConfirms = await app.inject({
      method: 'POST',
      url: url('/x/confirmations'),
      headers: auth('vera'),
      payload: { externalIds: ['RM-1'] },
    });
    expect(viewerConfirms.statusCode).toBe(403);
  });

  it('creates, lists, changes and reorders remedies', async () => {
    for (const [key, completion, title] of [
      ['change-password', 'customer', 'Change your password'],
      ['update-plugin', 'both', 'Update the plugin to 4.2.1'],
      ['remove-backdoor', 'provider', 'Remove the backdoor'],
    ] as const) {
      const res = await app.inject({
        method: 'POST',
        url: url(),
        headers: auth('cor'),
        payload: { key, completion, texts: texts(title) },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const dup = await app.inject({
      method: 'POST',
      url: url(),
      headers: auth('cor'),
      payload: { key: 'update-plugin', completion: 'customer', texts: texts('Again') },
    });
    expect(dup.statusCode).toBe(422);
    expect(dup.json<Problem>().errors[0]?.field).toBe('key');

    const patched = await app.inject({
      method: 'PATCH',
      url: url('/remove-backdoor'),
      headers: auth('cor'),
      payload: { position: 1, texts: { en: { title: 'Remove the web shell', instructions: '' } } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      key: 'remove-backdoor',
      position: 1,
      texts: { en: { title: 'Remove the web shell' }, nl: { title: 'Remove the backdoor (nl)' } },
    });
    const list = await app.inject({ url: url(), headers: auth('vera') });
    expect(list.statusCode).toBe(200);
    const body = list.json<RemedyList>();
    expect(body.languages).toEqual(['en', 'nl']);
    expect(body.remedies.map((r) => r.key)).toEqual([
      'remove-backdoor',
      'change-password',
      'update-plugin',
    ]);
    expect(body.remedies[0]?.counts).toEqual({
      recipients: 4,
      completed: 0,
      customerConfirmed: 0,
      providerConfirmed: 0,
    });
    const unknown = await app.inject({
      method: 'PATCH',
      url: url('/nope'),
      headers: auth('cor'),
      payload: { position: 1 },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('confirms idempotently, reports unknown ids with their index, withdraws and reopens', async () => {
    const first = await confirm('remove-backdoor', ['RM-1', 'RM-2', 'NOPE-9', 'RM-1']);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      action: 'confirm',
      received: 4,
      confirmed: 2,
      alreadyConfirmed: 0,
      duplicates: 1,
      completed: 2,
      unknown: [{ index: 2, externalId: 'NOPE-9' }],
    });
    const again = await confirm('remove-backdoor', ['RM-1', 'RM-2']);
    expect(again.json()).toMatchObject({ confirmed: 0, alreadyConfirmed: 2, completed: 0 });
    expect(await completedEvents()).toHaveLength(2);

    const withdrawn = await confirm('remove-backdoor', ['RM-1', 'RM-3'], true);
    expect(withdrawn.json()).toMatchObject({
      action: 'withdraw',
      withdrawn: 1,
      notConfirmed: 1,
      reopened: 1,
    });
    const row = await ctx.database.db
      .selectFrom('remedy_completions as c')
      .innerJoin('remedies as r', 'r.id', 'c.remedy_id')
      .select(['c.completed_at', 'c.provider_confirmed_at'])
      .where('r.key', '=', 'remove-backdoor')
      .where('c.recipient_id', '=', recall.recipients.get('RM-1')!.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ completed_at: null, provider_confirmed_at: null });
    expect((await events('remove-backdoor')).filter((e) => e.external_id === 'RM-1')).toEqual([
      { external_id: 'RM-1', source: 'provider', action: 'confirm' },
      { external_id: 'RM-1', source: 'provider', action: 'completed' },
      { external_id: 'RM-1', source: 'provider', action: 'withdraw' },
      { external_id: 'RM-1', source: 'provider', action: 'reopened' },
    ]);
    // The rule is fixed once someone confirmed.
    const rule = await app.inject({
      method: 'PATCH',
      url: url('/remove-backdoor'),
      headers: auth('cor'),
      payload: { completion: 'customer' },
    });
    expect(rule.statusCode).toBe(409);
    // One audit entry per request, with counts.
    const audits = await ctx.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('action', 'in', ['remedy.confirm', 'remedy.withdraw'])
      .execute();
    expect(audits).toHaveLength(3);
  });

  it('rule both: completes only at the second confirmation, at the later time', async () => {
    const provider = await confirm('update-plugin', ['RM-4']);
    expect(provider.json()).toMatchObject({ confirmed: 1, completed: 0 });
    const page = await app.inject({ url: `/n/${recall.recipients.get('RM-4')!.token}` });
    const nonce = new RegExp(
      'action="/n/[^"]+/remedies/update-plugin/done"><input type="hidden" name="nonce" value="([^"]+)"',
    ).exec(page.body.replace(/>\s+</g, '><'))![1]!;
    const click = await app.inject({
      method: 'POST',
      url: `/n/${recall.recipients.get('RM-4')!.token}/remedies/update-plugin/done`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ nonce }).toString(),
    });
    expect(click.statusCode).toBe(303);
    const row = await ctx.database.db
      .selectFrom('remedy_completions as c')
      .innerJoin('remedies as r', 'r.id', 'c.remedy_id')
      .select(['c.completed_at', 'c.customer_confirmed_at', 'c.provider_confirmed_at'])
      .where('r.key', '=', 'update-plugin')
      .where('c.recipient_id', '=', recall.recipients.get('RM-4')!.id)
      .executeTakeFirstOrThrow();
    expect(row.completed_at).toBe(row.customer_confirmed_at);
    expect(row.completed_at! >= row.provider_confirmed_at!).toBe(true);
    expect((await events('update-plugin')).map((e) => `${e.source}:${e.action}`)).toEqual([
      'provider:confirm',
      'customer:confirm',
      'customer:completed',
    ]);
    const list = await app.inject({ url: url(), headers: auth('vera') });
    const update = list.json<RemedyList>().remedies.find((r) => r.key === 'update-plugin')!;
    expect(update.counts).toMatchObject({
      completed: 1,
      customerConfirmed: 1,
      providerConfirmed: 1,
    });
  });

  it('keeps the recall\'s "done" in step: set when every live remedy is completed, cleared on withdraw', async () => {
    const rm4 = recall.recipients.get('RM-4')!;
    const remediedAt = async () =>
      (
        await ctx.database.db
          .selectFrom('case_recipients')
          .select('remedied_at')
          .where('id', '=', rm4.id)
          .executeTakeFirstOrThrow()
      ).remedied_at;
    // update-plugin is complete for RM-4 (previous test); remove-backdoor now too.
    await confirm('remove-backdoor', ['RM-4']);
    expect(await remediedAt()).toBeNull(); // change-password is still open
    const page = await app.inject({ url: `/n/${rm4.token}` });
    const nonce = new RegExp(
      'action="/n/[^"]+/remedies/change-password/done"><input type="hidden" name="nonce" value="([^"]+)"',
    ).exec(page.body.replace(/>\s+</g, '><'))![1]!;
    const click = await app.inject({
      method: 'POST',
      url: `/n/${rm4.token}/remedies/change-password/done`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ nonce }).toString(),
    });
    expect(click.statusCode).toBe(303);
    const latest = await ctx.database.db
      .selectFrom('remedy_completions')
      .select((eb) => eb.fn.max('completed_at').as('at'))
      .where('recipient_id', '=', rm4.id)
      .executeTakeFirstOrThrow();
    const done = await remediedAt();
    expect(done).not.toBeNull();
    expect(new Date(done!).getTime()).toBe(new Date(String(latest.at)).getTime());
    await confirm('remove-backdoor', ['RM-4'], true);
    expect(await remediedAt()).toBeNull();
  });

  it('a retired remedy takes no confirmations', async () => {
    const retired = await app.inject({
      method: 'PATCH',
      url: url('/update-plugin'),
      headers: auth('rita'),
      payload: { retired: true },
    });
    expect(retired.json()).toMatchObject({ retired: true });
    expect((await confirm('update-plugin', ['RM-1'])).statusCode).toBe(409);
    await app.inject({
      method: 'PATCH',
      url: url('/update-plugin'),
      headers: auth('rita'),
      payload: { retired: false },
    });
  });
});
