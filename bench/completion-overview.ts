/**
 * How fast the completion tab's reads are for a big case: builds a case of N recipients
 * (default 200,000) on a fresh test database with set-based inserts — 90 % with a mail
 * (5 % of those bounced), a third acknowledged, two live remedies half and a fifth completed —
 * and times the overview (counts, per remedy, the curve), the first open page, a filtered
 * page and the whole CSV export.
 *
 *   npx tsx bench/completion-overview.ts sqlite 200000
 *   npx tsx bench/completion-overview.ts postgres 200000   (CANDOR_TEST_PG_URL or 127.0.0.1)
 *
 * Not part of `npm run bench` (a standalone measurement for issue 14; see docs/completion.md).
 */
import { sql } from 'kysely';
import { systemActor } from '../src/domain/access.js';
import {
  exportOpenRecipients,
  getCompletionOverview,
  getOpenRecipients,
} from '../src/services/remedies/completion.service.js';
import * as store from '../src/store/completion.repository.js';
import type { Dialect } from '../src/store/database.js';
import { addRemedy } from '../test/completion/completion-fixture.js';
import { createRecallCase } from '../test/personal-page/recall-case.js';
import { createTestContext } from '../test/support/app-context.js';

const dialect = (process.argv[2] ?? 'sqlite') as Dialect;
const rows = Number(process.argv[3] ?? 200_000);
const NOW = new Date('2026-11-06T12:00:00Z');
const ZONE = 'Europe/Amsterdam';

async function time<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const out = await run();
  process.stdout.write(`${label}: ${((performance.now() - started) / 1000).toFixed(3)} s\n`);
  return out;
}

async function main(): Promise<void> {
  const ctx = await createTestContext(dialect);
  try {
    const db = ctx.database.db;
    const recall = await createRecallCase(ctx, [
      { external_id: 'SEED', email: 'seed@example.nl', name: 'Seed', language: 'nl', impact: {} },
    ]);
    const caseId = recall.caseId;
    const at = sql.lit('2026-10-23T08:00:00.000Z');
    const ts = dialect === 'postgres' ? sql`cast(${at} as timestamptz)` : at;
    // A day offset per recipient, so the curve has two weeks of movement.
    const dayOffset = (base: string, days: ReturnType<typeof sql>) =>
      dialect === 'postgres'
        ? sql`cast(${sql.lit(base)} as timestamptz) + ${days} * interval '1 day'`
        : sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${sql.lit(base)}, '+' || ${days} || ' days')`;
    await db
      .updateTable('dispatches')
      .set({ created_at: '2026-10-23T08:00:00.000Z' })
      .where('id', '=', recall.dispatchId)
      .execute();

    await time(`build ${rows.toLocaleString('en')} recipients (${dialect})`, async () => {
      await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${sql.lit(rows)})
        insert into customers (external_id, email, name, language, attributes, created_at, updated_at)
        select 'B' || i, case when i % 10 = 0 then null else 'b' || i || '@example.nl' end,
          'Klant ' || i, case when i % 4 = 0 then 'en' else 'nl' end, '{}', ${ts}, ${ts} from n`.execute(
        db,
      );
      await sql`insert into case_recipients (case_id, customer_id, external_id, email, name, language, attributes, impact)
        select ${caseId}, id, external_id, email, name, language, '{}', '{}' from customers
        where external_id like 'B%'`.execute(db);
      await sql`insert into deliveries (dispatch_id, recipient_id, email, state, attempts, next_attempt_at, message_id, sent_at, updated_at)
        select ${recall.dispatchId}, id, email,
          case when id % 20 = 1 then 'bounced' else 'sent' end, 1, ${ts}, 'm' || id,
          case when id % 20 = 1 then null else ${dayOffset('2026-10-23T09:00:00Z', sql`(id % 3)`)} end, ${ts}
        from case_recipients where case_id = ${caseId} and email is not null and external_id like 'B%'`.execute(
        db,
      );
      await sql`update case_recipients set acknowledged_at = ${dayOffset('2026-10-23T12:00:00Z', sql`(id % 7)`)}
        where case_id = ${caseId} and id % 3 = 0`.execute(db);
      const a = await addRemedy(db, caseId, 'update', 'customer', {
        nl: 'Bijwerken',
        en: 'Update',
      });
      const b = await addRemedy(db, caseId, 'rotate', 'provider', { nl: 'Sleutel', en: 'Key' });
      for (const [remedy, mod] of [
        [a.id, 2],
        [b.id, 5],
      ] as const) {
        const when = dayOffset('2026-10-24T10:00:00Z', sql`(id % 11)`);
        await sql`insert into remedy_completions (remedy_id, recipient_id, customer_confirmed_at, provider_confirmed_at, completed_at, updated_at)
          select ${remedy}, id, ${when}, ${when}, ${when}, ${when} from case_recipients
          where case_id = ${caseId} and id % ${sql.lit(mod)} = 0`.execute(db);
        await sql`insert into remedy_completion_events (remedy_id, recipient_id, source, action, at, actor)
          select ${remedy}, recipient_id, 'customer', 'completed', completed_at, 'bench'
          from remedy_completions where remedy_id = ${remedy}`.execute(db);
      }
      if (dialect === 'postgres') await sql`analyze`.execute(db);
    });

    const actor = systemActor('bench');
    if (process.env.EXPLAIN && dialect === 'postgres') {
      const ids = (await store.listCaseRemedies(db, caseId)).map((r) => r.id);
      const plan = await sql<{ 'QUERY PLAN': string }>`explain analyze
        select r.id, case when exists (select 1 from deliveries d where d.recipient_id = r.id and d.state in ('sent','posted')) then 1 else 0 end as reached
        from case_recipients r where r.case_id = ${caseId} and r.id > 0
        and not ((select count(*) from remedy_completions rc where rc.recipient_id = r.id
          and rc.remedy_id in (${ids[0]}, ${ids[1]}) and rc.completed_at is not null) = 2)
        order by r.id limit 51`.execute(db);
      process.stdout.write(plan.rows.map((r) => r['QUERY PLAN']).join('\n') + '\n');
    }
    const remedies = await store.listCaseRemedies(db, caseId);
    const active = remedies.map((r) => r.id);
    await time('  counts', () => store.countCaseCompletion(db, caseId, active));
    await time('  per remedy', () => store.countRemedyCompletion(db, caseId));
    await time('  curve slots', () =>
      store.countCompletionSlots(db, ctx.database.dialect, caseId, active),
    );
    for (let run = 1; run <= 3; run += 1) {
      const o = await time(`overview run ${run}`, () =>
        getCompletionOverview(actor, recall.reference, { timeZone: ZONE, now: NOW }, ctx.deps),
      );
      if (run === 3) {
        process.stdout.write(
          `  affected ${o.figures.affected}, reached ${o.figures.reached}, read ${o.figures.read}, completed ${o.figures.completed}, ${o.curve?.days.length} days\n`,
        );
      }
    }
    await time('open list, first page', () =>
      getOpenRecipients(actor, recall.reference, {}, { limit: 50 }, ctx.deps),
    );
    await time('open list, page after the middle', () =>
      getOpenRecipients(actor, recall.reference, {}, { afterId: rows / 2, limit: 50 }, ctx.deps),
    );
    await time('open list, read but not completed, English', () =>
      getOpenRecipients(
        actor,
        recall.reference,
        { stage: 'read', language: 'en' },
        { limit: 50 },
        ctx.deps,
      ),
    );
    await time('open list, search prefix B19999', () =>
      getOpenRecipients(actor, recall.reference, { q: 'B19999' }, { limit: 50 }, ctx.deps),
    );
    if (process.env.SKIP_CSV) return;
    await time('CSV export of all open', async () => {
      const { lines } = await exportOpenRecipients(actor, recall.reference, {}, ctx.deps);
      let n = 0;
      for await (const chunk of lines) n += chunk.split('\n').length - 1;
      process.stdout.write(`  ${n - 1} open recipients exported\n`);
    });
  } finally {
    await ctx.close();
  }
}

await main();
