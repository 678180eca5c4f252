import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  controlDispatch,
  getDispatchProgress,
} from '../../src/services/dispatch/dispatch.service.js';
import { DIALECTS } from '../support/databases.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  type DispatchTestContext,
  type People,
} from './scenario.js';

describe.each(DIALECTS)('dispatch recovery on %s', (dialect) => {
  let ctx: DispatchTestContext;
  let people: People;
  beforeAll(async () => {
    ctx = await createDispatchContext(dialect);
    people = await createPeople(ctx);
  });
  afterAll(() => ctx.close());

  it('finishes a dispatch that stopped while preparing when it is resumed', async () => {
    const s = await buildScenario(ctx, people, { customers: 20, until: 'dispatched' });
    const id = s.dispatch!.id;
    const db = ctx.database.db;
    // As if the process died after queuing the deliveries, before every personal token existed.
    await db.updateTable('dispatches').set({ state: 'preparing' }).where('id', '=', id).execute();
    await db
      .updateTable('case_recipients')
      .set({ token_hash: null })
      .where('case_id', '=', s.caseId)
      .execute();
    expect((await getDispatchProgress(people.sanne, id, ctx.deps)).state).toBe('preparing');

    const resumed = await controlDispatch(people.sanne, id, 'resume', ctx.deps);
    expect(resumed.state).toBe('running');
    const missing = await db
      .selectFrom('case_recipients')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('case_id', '=', s.caseId)
      .where('token_hash', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(missing.n)).toBe(0);
  });

  it('cannot pause what is not running, nor resume what is done', async () => {
    const s = await buildScenario(ctx, people, { customers: 5, until: 'dispatched' });
    const id = s.dispatch!.id;
    await controlDispatch(people.sanne, id, 'cancel', ctx.deps);
    await expect(controlDispatch(people.sanne, id, 'pause', ctx.deps)).rejects.toThrow(
      /cancelled; it cannot pause/,
    );
    await expect(controlDispatch(people.sanne, id, 'resume', ctx.deps)).rejects.toThrow(
      /cannot resume/,
    );
  });
});
