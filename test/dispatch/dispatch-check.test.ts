import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { ConflictError, type DomainError } from '../../src/domain/errors.js';
import { importAffected } from '../../src/services/cases/affected.service.js';
import { importCustomers } from '../../src/services/customers/customer-import.service.js';
import { startDispatch } from '../../src/services/dispatch/dispatch.service.js';
import { checkNotice } from '../../src/services/notices/notice-check.service.js';
import { sampleAffectedSet } from '../../src/store/affected.repository.js';
import {
  approveNotice,
  getNotice,
  updateNotice,
} from '../../src/services/notices/notice.service.js';
import { DIALECTS } from '../support/databases.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  type DispatchTestContext,
  type People,
} from './scenario.js';

/**
 * The check guards the set that is actually mailed: a recipient whose mail cannot be built is
 * found before approval, and recipients that joined between approval and the start of the
 * dispatch are checked when the set is frozen.
 */
describe.each(DIALECTS)('the notice check and the frozen set on %s', (dialect) => {
  let ctx: DispatchTestContext;
  let people: People;

  beforeAll(async () => {
    ctx = await createDispatchContext(dialect);
    people = await createPeople(ctx);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const addCustomer = (csv: string) =>
    importCustomers(systemActor(), Readable.from([csv]), { source: 'test' }, ctx.deps);
  const addAffected = (caseId: number, csv: string) =>
    importAffected(people.sanne, caseId, Readable.from([csv]), { source: 'test' }, ctx.deps);

  /** Nothing of a refused start may remain: no dispatch, no freeze, no queue. */
  async function expectNothingStarted(caseId: number) {
    const { db } = ctx.database;
    const kase = await db
      .selectFrom('cases')
      .select(['frozen_at', 'state'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(kase.frozen_at).toBeNull();
    expect(kase.state).not.toBe('notifying');
    const count = async (table: 'dispatches' | 'case_recipients') =>
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('case_id', '=', caseId)
          .executeTakeFirstOrThrow()
      ).n;
    expect(Number(await count('dispatches'))).toBe(0);
    expect(Number(await count('case_recipients'))).toBe(0);
  }

  it('walks the affected list page by page, each recipient once and in order', async () => {
    const s = await buildScenario(ctx, people, { customers: 13, seed: 53, until: 'notice' });
    const seen: string[] = [];
    let after = 0;
    for (;;) {
      const page = await sampleAffectedSet(ctx.database.db, s.caseId, null, 5, after);
      seen.push(...page.map((r) => r.external_id));
      if (page.length < 5) break;
      after = page[page.length - 1]!.id;
    }
    expect(seen).toEqual(s.customers.map((c) => c.external_id).sort());
    const check = await checkNotice(people.fatima, s.noticeId, ctx.deps);
    expect(check.recipients).toBe(13);
  });

  it('reads the postal address and attributes a notice uses, and finds them empty', async () => {
    const s = await buildScenario(ctx, people, { customers: 5, seed: 59, until: 'notice' });
    const view = await getNotice(people.joost, s.noticeId, ctx.deps);
    const texts = Object.fromEntries(
      Object.entries(view.texts).map(([language, t]) => [
        language,
        { ...t, body: `${t.body}\n\n{{ customer.city }}, {{ customer.attributes.plan }}` },
      ]),
    );
    await updateNotice(people.joost, s.noticeId, { texts }, ctx.deps);
    expect((await checkNotice(people.joost, s.noticeId, ctx.deps)).ok).toBe(true);
    const victim = s.customers[1]!.external_id;
    await ctx.database.db
      .updateTable('customers')
      .set({ city: null, attributes: JSON.stringify({}) })
      .where('external_id', '=', victim)
      .execute();
    const check = await checkNotice(people.joost, s.noticeId, ctx.deps);
    expect(check.ok).toBe(false);
    const errors = check.errors.join('\n');
    expect(errors).toMatch(/customer\.city.*1 of 5/);
    expect(errors).toMatch(/customer\.attributes\.plan.*1 of 5/);
  });

  it('finds a recipient whose name cannot be written in the To: header, and refuses approval', async () => {
    const s = await buildScenario(ctx, people, { customers: 4, seed: 31, until: 'notice' });
    const victim = s.customers[2]!;
    // The import refuses such a name now; data from before, or edited by hand, may hold one.
    await ctx.database.db
      .updateTable('customers')
      .set({ name: 'Jan\r\nBcc: someone@elsewhere.example' })
      .where('external_id', '=', victim.external_id)
      .execute();
    const check = await checkNotice(people.joost, s.noticeId, ctx.deps);
    expect(check.ok).toBe(false);
    expect(check.errors.join('\n')).toMatch(
      new RegExp(`1 recipient cannot be mailed.*${victim.external_id}.*line break`),
    );
    await expect(approveNotice(people.fatima, s.noticeId, {}, ctx.deps)).rejects.toThrow(
      /cannot be mailed/,
    );
  });

  it('checks the frozen set at the start and refuses, leaving nothing behind, when a recipient added after approval fails', async () => {
    const s = await buildScenario(ctx, people, { customers: 4, seed: 47, until: 'approved' });
    // After approval, someone without a name joins the affected set: "Beste ," is what the
    // approver never saw and the check never looked at.
    const added = await addCustomer('external_id,email\nLATE-47,late47@example.com\n');
    expect(added.rejected).toBe(0);
    await addAffected(s.caseId, 'external_id,data,domains\nLATE-47,invoices,late.example\n');

    const refused = await startDispatch(people.sanne, s.noticeId, ctx.deps).then(
      () => null,
      (error: unknown) => error as DomainError,
    );
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused!.message).toMatch(/the frozen set does not pass the check/);
    expect(refused!.message).toMatch(/customer\.name/);
    expect(refused!.details).toMatchObject({ reason: 'check-failed' });
    const problems = refused!.details!.problems as string[];
    expect(problems.join('\n')).toMatch(/customer\.name/);
    await expectNothingStarted(s.caseId);

    // Once the registry is fixed, the same approval goes out.
    await addCustomer('external_id,email,name\nLATE-47,late47@example.com,Laat Komer\n');
    const started = await startDispatch(people.sanne, s.noticeId, ctx.deps);
    expect(started).toMatchObject({ state: 'running', total: 5 });
  });
});
