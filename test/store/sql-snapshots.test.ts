/**
 * SQL snapshots of the hot queries, per dialect, so that a change to one shows in review as a
 * diff of a readable .sql file in `test/store/__snapshots__/` (`<dialect>-<operation>.sql`).
 * Update them with `npx vitest run test/store/sql-snapshots.test.ts -u` and review the diff.
 *
 * Each operation runs against a small migrated store (the dispatch scenario: six synthetic
 * customers, two cases with an approved notice each), through a copy of the store's Kysely
 * instance that records every statement it executed (`test/support/sql-capture.ts`). The store
 * functions are called the way their callers call them:
 *
 * - count-list, count-filter: `countAffectedSet`, the size of a case's affected set before it is
 *   frozen (case progress, the affected-set summary, the notice preview), for a case with an
 *   uploaded list and for one with a filter;
 * - freeze-list, freeze-filter: `freezeAffectedSet`, the copy of the affected set into
 *   `case_recipients` when `startDispatch` prepares the first dispatch of a case (run in a
 *   transaction that is rolled back, so the real start freezes afterwards);
 * - claim: `claimDeliveries`, the dispatch worker's claim of a batch (`runOnce`), in its own
 *   transaction as the worker opens it: the claiming update and the read of the claimed rows;
 * - record: `recordDeliveryResults`, the worker's one-statement record of a batch of outcomes
 *   (sent, deferred, bounced, failed), in its own transaction.
 *
 * All of these go through Kysely, so they are captured whole on both engines. Not snapshotted:
 * the bulk path that bypasses Kysely, the customer import (`customer-bulk.repository.ts`:
 * prepared better-sqlite3 statements in a worker thread; `COPY` into a temporary table and
 * set-based statements on PostgreSQL); a Kysely plugin does not see what the raw driver handles
 * run, and its SQL is plain text in that file, where a change already shows in the diff.
 * BEGIN/COMMIT are issued by the driver itself and are not in the snapshots either.
 *
 * Only the SQL text is compared, not the parameter values (ids, timestamps, the worker id);
 * each statement is headed by its parameter count. What could vary between runs is normalised:
 * a PostgreSQL test schema name (`t_` + 12 hex digits) and ISO timestamps inlined as literals
 * (neither occurs today). A statement Kysely's builder wrote on one line is shown with a line
 * break before each top-level clause (see layout); nothing else in the text is changed. The
 * freeze inlines the case id (`select 1 as "case_id"`), which the scenario makes stable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterOf } from '../../src/services/cases/affected.service.js';
import { startDispatch } from '../../src/services/dispatch/dispatch.service.js';
import { countAffectedSet, freezeAffectedSet } from '../../src/store/affected.repository.js';
import { findCaseById } from '../../src/store/case.repository.js';
import {
  claimDeliveries,
  recordDeliveryResults,
  type DeliveryResult,
} from '../../src/store/delivery-queue.repository.js';
import { DIALECTS } from '../support/databases.js';
import { captureSql, type CapturedStatement, type SqlCapture } from '../support/sql-capture.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  type DispatchTestContext,
  type Scenario,
} from '../dispatch/scenario.js';

/** Rolls a transaction back after its statements ran (and were recorded). */
class Rollback extends Error {}

/** Clauses a one-line statement is broken before, at the top level, for the reader. */
const CLAUSE =
  /^ (select|from|left join|inner join|join|where|group by|having|order by|limit|offset|returning|on conflict)\b/;

/**
 * Kysely's query builder writes a statement on one line; a diff of a 600-character line hides
 * what changed. Such a statement is shown with a line break before each top-level clause
 * (outside parentheses and quotes). Only those spaces change: statements written as SQL text
 * (already on several lines) are shown as they are.
 */
function layout(text: string): string {
  if (text.includes('\n')) return text;
  let out = '';
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
    } else if (c === ' ' && depth === 0) {
      const clause = CLAUSE.exec(text.slice(i));
      if (clause) {
        out += `\n${clause[1]}`;
        i += clause[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** The recorded statements as a .sql file, normalised where runs differ. */
function snapshotText(title: string, statements: CapturedStatement[]): string {
  const parts = statements.map((s, i) => {
    const text = s.sql
      .replace(/\bt_[0-9a-f]{12}\b/g, '<schema>')
      .replace(/'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z'/g, "'<timestamp>'");
    const n = s.parameters.length;
    const head = `-- statement ${i + 1} of ${statements.length}, ${n} parameter${n === 1 ? '' : 's'}`;
    return `${head}\n${layout(text)};\n`;
  });
  return [`-- ${title}`, '', parts.join('\n')].join('\n');
}

describe.each(DIALECTS)('SQL snapshots of the hot queries on %s', (dialect) => {
  let ctx: DispatchTestContext;
  let capture: SqlCapture;
  let listCase: Scenario;
  let filterCase: Scenario;

  beforeAll(async () => {
    ctx = await createDispatchContext(dialect);
    const people = await createPeople(ctx);
    listCase = await buildScenario(ctx, people, { customers: 6 });
    filterCase = await buildScenario(ctx, people, {
      customers: 6,
      affected: { filter: 'plan = "shared"' },
    });
    capture = captureSql(ctx.database);
  });
  afterAll(async () => ctx?.close());

  const snapshot = (operation: string, title: string) =>
    expect(snapshotText(title, capture.take())).toMatchFileSnapshot(
      `__snapshots__/${dialect}-${operation}.sql`,
    );

  async function filterOfCase(caseId: number) {
    const kase = await findCaseById(ctx.database.db, caseId);
    if (!kase) throw new Error(`no case ${caseId}`);
    return filterOf(kase, dialect);
  }

  it.each([
    ['list', () => listCase],
    ['filter', () => filterCase],
  ] as const)('counts the affected set of a case with a %s', async (kind, scenario) => {
    const { caseId } = scenario();
    const filter = await filterOfCase(caseId);
    capture.take();
    const count = await countAffectedSet(capture.database.db, caseId, filter);
    expect(count.total).toBeGreaterThan(0);
    await snapshot(`count-${kind}`, `countAffectedSet: the affected set of a case with a ${kind}`);
  });

  it.each([
    ['list', () => listCase],
    ['filter', () => filterCase],
  ] as const)('freezes the affected set of a case with a %s', async (kind, scenario) => {
    const { caseId } = scenario();
    const filter = await filterOfCase(caseId);
    capture.take();
    let frozen = 0;
    await capture.database.db
      .transaction()
      .execute(async (tx) => {
        frozen = await freezeAffectedSet(tx, caseId, filter);
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    expect(frozen).toBeGreaterThan(0);
    await snapshot(
      `freeze-${kind}`,
      `freezeAffectedSet: the freeze of the recipient set of a case with a ${kind}`,
    );
  });

  it('claims a batch of deliveries and records their results', async () => {
    const { people, noticeId } = listCase;
    const dispatch = await startDispatch(people.sanne, noticeId, ctx.deps);
    expect(dispatch.state).toBe('running');
    const { db } = capture.database;
    const worker = 'snapshot-worker';

    capture.take();
    const now = new Date().toISOString();
    const claimed = await db
      .transaction()
      .execute((tx) => claimDeliveries(tx, dialect, dispatch.id, worker, 4, now));
    expect(claimed).toHaveLength(4);
    await snapshot('claim', 'claimDeliveries: the dispatch worker claims a batch of 4');

    const states = ['sent', 'deferred', 'bounced', 'failed'] as const;
    const later = new Date(Date.now() + 60_000).toISOString();
    const results: DeliveryResult[] = claimed.map((d, i) => ({
      id: d.id,
      state: states[i]!,
      response: `250 ${states[i]}`,
      nextAttemptAt: states[i] === 'deferred' ? later : null,
    }));
    capture.take();
    await db
      .transaction()
      .execute((tx) =>
        recordDeliveryResults(tx, dialect, worker, results, new Date().toISOString()),
      );
    await snapshot('record', 'recordDeliveryResults: the worker records a batch of 4 outcomes');
    const rows = await ctx.database.db
      .selectFrom('deliveries')
      .select(['id', 'state', 'claimed_by'])
      .where(
        'id',
        'in',
        claimed.map((d) => d.id),
      )
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.state, r.claimed_by])).toEqual(states.map((s) => [s, null]));
  });
});
