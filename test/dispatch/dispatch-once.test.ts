/**
 * A notice goes out once: a second start of the same notice is refused while a dispatch of it
 * exists that is not cancelled, also when two processes start it at the same moment (a double
 * click on two servers, the CLI next to the web). After a cancel the notice may go out again.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../../src/config.js';
import { ConflictError } from '../../src/domain/errors.js';
import { controlDispatch, startDispatch } from '../../src/services/dispatch/dispatch.service.js';
import { approveNotice, createNotice } from '../../src/services/notices/notice.service.js';
import { openDatabase } from '../../src/store/database.js';
import { listDispatchesOfNotice } from '../../src/store/dispatch.repository.js';
import { nowIso } from '../../src/store/executor.js';
import { databaseUrl, DIALECTS } from '../support/databases.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  TEST_SECRET,
  type DispatchTestContext,
  type People,
} from './scenario.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../customers/candor-cli.ts', import.meta.url));

/** `candor …` in a child process on the test database. */
function candor(
  config: DatabaseConfig,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-once-'));
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CANDOR_'))),
      CANDOR_DATABASE_URL: databaseUrl(config),
      CANDOR_DATA_DIR: dataDir,
      CANDOR_SECRET: TEST_SECRET,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
  });
}

describe.each(DIALECTS)('a notice is dispatched once on %s', (dialect) => {
  let ctx: DispatchTestContext;
  let people: People;

  beforeAll(async () => {
    ctx = await createDispatchContext(dialect);
    people = await createPeople(ctx);
  });
  afterAll(async () => {
    await ctx.close();
  });

  const live = async (noticeId: number) =>
    (await listDispatchesOfNotice(ctx.database.db, noticeId)).filter(
      (d) => d.state !== 'cancelled',
    );

  it('refuses a second start; after a cancel the notice may go out again', async () => {
    const s = await buildScenario(ctx, people, { customers: 6, until: 'dispatched' });
    const first = s.dispatch!;
    const again = startDispatch(people.sanne, s.noticeId, ctx.deps);
    await expect(again).rejects.toBeInstanceOf(ConflictError);
    await expect(startDispatch(people.sanne, s.noticeId, ctx.deps)).rejects.toThrow(
      `notice ${s.noticeId} is already being sent (dispatch ${first.id} is running); nobody is mailed twice`,
    );
    await expect(startDispatch(people.sanne, s.noticeId, ctx.deps)).rejects.toMatchObject({
      details: { reason: 'already-dispatched', dispatchId: first.id },
    });

    await controlDispatch(people.sanne, first.id, 'cancel', ctx.deps);
    const resent = await startDispatch(people.sanne, s.noticeId, ctx.deps);
    expect(resent.id).not.toBe(first.id);
    expect(resent.total).toBe(6);
    expect((await live(s.noticeId)).map((d) => d.id)).toEqual([resent.id]);

    // A finished dispatch counts too: the way on is a follow-up notice.
    await ctx.database.db
      .updateTable('dispatches')
      .set({ state: 'completed', finished_at: nowIso() })
      .where('id', '=', resent.id)
      .execute();
    await expect(startDispatch(people.sanne, s.noticeId, ctx.deps)).rejects.toThrow(
      /was already sent \(dispatch \d+\); .* write a follow-up notice instead/,
    );
  });

  it('holds in the store: a second live dispatch row of a notice is refused, a cancelled one is not', async () => {
    const s = await buildScenario(ctx, people, { customers: 3, until: 'dispatched' });
    const row = {
      notice_id: s.noticeId,
      case_id: s.caseId,
      content_hash: 'x',
      total: 0,
      created_by: 'test',
      created_at: nowIso(),
      finished_at: null,
    };
    await expect(
      ctx.database.db
        .insertInto('dispatches')
        .values({ ...row, state: 'paused' })
        .execute(),
    ).rejects.toThrow(/dispatches_notice_once|UNIQUE constraint failed: dispatches\.notice_id/);
    await ctx.database.db
      .insertInto('dispatches')
      .values({ ...row, state: 'cancelled' })
      .execute();
    expect(await live(s.noticeId)).toHaveLength(1);
  });

  it('two simultaneous starts on separate connections make exactly one dispatch', async () => {
    // better-sqlite3 blocks its thread while it waits for the write lock, so on SQLite two
    // connections in one process would wait on each other; the CLI test below covers it.
    if (dialect !== 'postgres') return;
    const second = openDatabase(ctx.testDb.config);
    try {
      for (const frozen of [false, true]) {
        // The first round also freezes the affected set; the second runs on a frozen case.
        const s = frozen
          ? await followUp(await buildScenario(ctx, people, { customers: 8, until: 'dispatched' }))
          : await buildScenario(ctx, people, { customers: 8 });
        const results = await Promise.allSettled([
          startDispatch(people.sanne, s.noticeId, ctx.deps),
          startDispatch(people.sanne, s.noticeId, { ...ctx.deps, database: second }),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]!.reason).toBeInstanceOf(ConflictError);
        expect(String(lost[0]!.reason)).toMatch(/already being sent/);
        const dispatches = await live(s.noticeId);
        expect(dispatches).toHaveLength(1);
        const deliveries = await ctx.database.db
          .selectFrom('deliveries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('dispatch_id', '=', dispatches[0]!.id)
          .executeTakeFirstOrThrow();
        expect(Number(deliveries.n)).toBe(8);
      }
    } finally {
      await second.close();
    }
  });

  it('two `candor dispatch` processes started together: one sends, the other is refused', async () => {
    const s = await buildScenario(ctx, people, { customers: 10 });
    const args = ['dispatch', String(s.noticeId), '--as', 'sanne'];
    const runs = await Promise.all([
      candor(ctx.testDb.config, args),
      candor(ctx.testDb.config, args),
    ]);
    const ok = runs.filter((r) => r.code === 0);
    const refused = runs.filter((r) => r.code !== 0);
    expect(ok, runs.map((r) => r.stderr).join('\n')).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.stderr).toMatch(
      new RegExp(`error: notice ${s.noticeId} is already being sent .*nobody is mailed twice`),
    );
    const dispatches = await live(s.noticeId);
    expect(dispatches.map((d) => String(d.id))).toEqual([ok[0]!.stdout.trim()]);
    expect(dispatches[0]!.total).toBe(10);
  }, 60_000);

  /** A second notice on the scenario's (now frozen) case, approved and ready to go. */
  async function followUp(s: Awaited<ReturnType<typeof buildScenario>>) {
    const notice = await createNotice(people.joost, s.caseId, {}, ctx.deps);
    await approveNotice(people.fatima, notice.id, {}, ctx.deps);
    return { ...s, noticeId: notice.id };
  }
});
