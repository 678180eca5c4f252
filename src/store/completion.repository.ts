import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from './database.js';
import type { Executor } from './executor.js';

/**
 * Completion of a recall, read set-based: how many of a case's recipients were reached (a mail
 * accepted or a letter posted), read their notice (acknowledged) and completed the remedies;
 * the same over time in 15-minute slots; and the recipients still open, a keyset page at a
 * time. Every aggregate is one statement over the case's rows, so a case of a million
 * recipients costs one scan, not a million round trips.
 */

/** A remedy of the case as completion counts it. */
export interface CompletionRemedyRow {
  id: number;
  key: string;
  position: number;
  completion: string;
  retiredAt: string | null;
}

/** The remedies of a case in their order, retired ones included (they are marked). */
export async function listCaseRemedies(
  db: Executor,
  caseId: number,
): Promise<CompletionRemedyRow[]> {
  const rows = await db
    .selectFrom('remedies')
    .select(['id', 'key', 'position', 'completion', 'retired_at'])
    .where('case_id', '=', caseId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    key: r.key,
    position: Number(r.position),
    completion: r.completion,
    retiredAt: r.retired_at,
  }));
}

/** Titles of the case's remedies per language: remedy id → language → title. */
export async function listRemedyTitles(
  db: Executor,
  caseId: number,
): Promise<Map<number, Map<string, string>>> {
  const rows = await db
    .selectFrom('remedy_texts as t')
    .innerJoin('remedies as m', 'm.id', 't.remedy_id')
    .select(['t.remedy_id', 't.language', 't.title'])
    .where('m.case_id', '=', caseId)
    .execute();
  const out = new Map<number, Map<string, string>>();
  for (const r of rows) {
    const id = Number(r.remedy_id);
    if (!out.has(id)) out.set(id, new Map());
    out.get(id)!.set(r.language, r.title);
  }
  return out;
}

const REACHED_STATES = sql`('sent', 'posted')`;

/** An id list for `in (…)`; callers never pass an empty one. */
const idList = (ids: readonly number[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

/**
 * Whether a recipient completed the case: all its live remedies completed, or — for a case
 * without remedies — the single "I've done it" (`remedied_at`).
 */
function completedCondition(active: readonly number[], alias = 'r'): RawBuilder<unknown> {
  const r = sql.ref(alias);
  if (active.length === 0) return sql`${r}.remedied_at is not null`;
  return sql`(select count(*) from remedy_completions rc where rc.recipient_id = ${r}.id and rc.remedy_id in (${idList(active)}) and rc.completed_at is not null) = ${active.length}`;
}

/** The case-wide counts. */
export interface CompletionCounts {
  affected: number;
  reached: number;
  read: number;
  /** Read among the reached. */
  readReached: number;
  completed: number;
  completedReached: number;
  noEmail: number;
  bounced: number;
  failed: number;
}

/**
 * One pass over the case's recipients with their delivery outcomes and completions grouped
 * per recipient (hash joins on PostgreSQL, index lookups on SQLite).
 */
export async function countCaseCompletion(
  db: Executor,
  caseId: number,
  active: readonly number[],
): Promise<CompletionCounts> {
  const done =
    active.length === 0 ? sql`r.remedied_at is not null` : sql`coalesce(c.n, 0) = ${active.length}`;
  const doneJoin =
    active.length === 0
      ? sql``
      : sql`left join (select rc.recipient_id, count(*) as n from remedy_completions rc
            where rc.remedy_id in (${idList(active)}) and rc.completed_at is not null
            group by rc.recipient_id) c on c.recipient_id = r.id`;
  const result = await sql<Record<keyof CompletionCounts, number | null>>`
    with flags as (
      select d.recipient_id,
        max(case when d.state in ${REACHED_STATES} then 1 else 0 end) as reached,
        max(case when d.state = 'bounced' then 1 else 0 end) as bounced,
        max(case when d.state = 'failed' then 1 else 0 end) as failed
      from deliveries d inner join dispatches x on x.id = d.dispatch_id
      where x.case_id = ${caseId}
      group by d.recipient_id
    )
    select
      count(*) as "affected",
      sum(coalesce(f.reached, 0)) as "reached",
      sum(case when r.acknowledged_at is not null then 1 else 0 end) as "read",
      sum(case when r.acknowledged_at is not null and f.reached = 1 then 1 else 0 end) as "readReached",
      sum(case when ${done} then 1 else 0 end) as "completed",
      sum(case when ${done} and f.reached = 1 then 1 else 0 end) as "completedReached",
      sum(case when r.email is null then 1 else 0 end) as "noEmail",
      sum(coalesce(f.bounced, 0)) as "bounced",
      sum(coalesce(f.failed, 0)) as "failed"
    from case_recipients r
    left join flags f on f.recipient_id = r.id
    ${doneJoin}
    where r.case_id = ${caseId}
  `.execute(db);
  const row = result.rows[0];
  const n = (k: keyof CompletionCounts) => Number(row?.[k] ?? 0);
  return {
    affected: n('affected'),
    reached: n('reached'),
    read: n('read'),
    readReached: n('readReached'),
    completed: n('completed'),
    completedReached: n('completedReached'),
    noEmail: n('noEmail'),
    bounced: n('bounced'),
    failed: n('failed'),
  };
}

/** Completed recipients per remedy (all remedies of the case, retired ones too). */
export async function countRemedyCompletion(
  db: Executor,
  caseId: number,
): Promise<Map<number, { completed: number; completedReached: number }>> {
  const result = await sql<{ remedy_id: number; completed: number; completed_reached: number }>`
    select rc.remedy_id,
      count(*) as completed,
      sum(case when exists (select 1 from deliveries d where d.recipient_id = rc.recipient_id
        and d.state in ${REACHED_STATES}) then 1 else 0 end) as completed_reached
    from remedy_completions rc inner join remedies m on m.id = rc.remedy_id
    where m.case_id = ${caseId} and rc.completed_at is not null
    group by rc.remedy_id
  `.execute(db);
  return new Map(
    result.rows.map((r) => [
      Number(r.remedy_id),
      { completed: Number(r.completed), completedReached: Number(r.completed_reached ?? 0) },
    ]),
  );
}

/** Seconds per slot of the curve: every time zone's offset is a multiple of 15 minutes. */
export const SLOT_SECONDS = 900;

/** The 15-minute slot (since the epoch) of a timestamp expression, per engine. */
function slotOf(dialect: Dialect, column: RawBuilder<unknown>): RawBuilder<number> {
  return dialect === 'postgres'
    ? sql<number>`cast(floor(extract(epoch from ${column}) / ${sql.lit(SLOT_SECONDS)}) as bigint)`
    : sql<number>`(cast(strftime('%s', ${column}) as integer) / ${sql.lit(SLOT_SECONDS)})`;
}

/** A change of a cumulative count in one slot. */
export interface SlotDelta {
  slot: number;
  delta: number;
}

/** Per remedy (id), or the case as a whole (null). */
export interface CompletionSlots {
  reached: SlotDelta[];
  read: SlotDelta[];
  completed: SlotDelta[];
  remedies: Map<number, SlotDelta[]>;
}

const deltas = (rows: readonly { slot: number; delta: number }[]): SlotDelta[] =>
  rows
    .map((r) => ({ slot: Number(r.slot), delta: Number(r.delta) }))
    .filter((r) => r.delta !== 0)
    .sort((a, b) => a.slot - b.slot);

/**
 * The curve's raw material: per 15-minute slot how many recipients were first reached, read
 * their notice, completed (or lost completion of) each remedy, and completed the case. The
 * case completes for a recipient when their running count of completed live remedies reaches
 * the number of live remedies (a window over their events), and opens again when a
 * withdrawal takes one away.
 */
export async function countCompletionSlots(
  db: Executor,
  dialect: Dialect,
  caseId: number,
  active: readonly number[],
): Promise<CompletionSlots> {
  const reached = await sql<{ slot: number; delta: number }>`
    select ${slotOf(dialect, sql.ref('first_at'))} as slot, count(*) as delta
    from (select d.recipient_id,
        -- Reading the notice proves it arrived: reached no later than acknowledged.
        case when r.acknowledged_at is not null and r.acknowledged_at < min(d.sent_at)
          then r.acknowledged_at else min(d.sent_at) end as first_at
      from deliveries d inner join dispatches x on x.id = d.dispatch_id
      inner join case_recipients r on r.id = d.recipient_id
      where x.case_id = ${caseId} and d.state in ${REACHED_STATES} and d.sent_at is not null
      group by d.recipient_id, r.acknowledged_at) f
    group by 1
  `.execute(db);
  const perRecipient = (column: 'acknowledged_at' | 'remedied_at') =>
    sql<{ slot: number; delta: number }>`
      select ${slotOf(dialect, sql.ref(column))} as slot, count(*) as delta
      from case_recipients where case_id = ${caseId} and ${sql.ref(column)} is not null
      group by 1
    `.execute(db);
  const read = await perRecipient('acknowledged_at');
  const remedyRows = await sql<{ remedy_id: number; slot: number; delta: number }>`
    select e.remedy_id, ${slotOf(dialect, sql.ref('e.at'))} as slot,
      sum(case when e.action = 'completed' then 1 else -1 end) as delta
    from remedy_completion_events e inner join remedies m on m.id = e.remedy_id
    where m.case_id = ${caseId} and e.action in ('completed', 'reopened')
    group by e.remedy_id, 2
  `.execute(db);
  const remedies = new Map<number, SlotDelta[]>();
  for (const r of remedyRows.rows) {
    const id = Number(r.remedy_id);
    if (!remedies.has(id)) remedies.set(id, []);
    remedies.get(id)!.push({ slot: Number(r.slot), delta: Number(r.delta) });
  }
  for (const [id, list] of remedies) remedies.set(id, deltas(list));

  let completed;
  if (active.length === 0) {
    completed = await perRecipient('remedied_at');
  } else {
    const k = active.length;
    completed = await sql<{ slot: number; delta: number }>`
      select ${slotOf(dialect, sql.ref('at'))} as slot, sum(change) as delta
      from (
        select at,
          case when running = ${sql.lit(k)} and running - step < ${sql.lit(k)} then 1
               when running < ${sql.lit(k)} and running - step = ${sql.lit(k)} then -1
               else 0 end as change
        from (
          select e.at, e.step,
            sum(e.step) over (partition by e.recipient_id order by e.at, e.id
              rows between unbounded preceding and current row) as running
          from (select recipient_id, at, id,
                  case when action = 'completed' then 1 else -1 end as step
                from remedy_completion_events
                where remedy_id in (${idList(active)}) and action in ('completed', 'reopened')) e
        ) w
      ) t
      where change <> 0
      group by 1
    `.execute(db);
  }
  return {
    reached: deltas(reached.rows),
    read: deltas(read.rows),
    completed: deltas(completed.rows),
    remedies,
  };
}

/** Which recipients the open list holds. */
export interface OpenQuery {
  caseId: number;
  /** Live remedies of the case: "open" means not all of them completed. */
  active: readonly number[];
  /** Only those who have not completed this remedy (instead of the case). */
  remedyId?: number;
  /** unreached: no notice delivered; unread: delivered, not acknowledged; read: acknowledged. */
  stage?: 'unreached' | 'unread' | 'read';
  language?: string;
  /** bounced or failed: a delivery ended so; no-email: the recipient has no address. */
  problem?: 'bounced' | 'failed' | 'no-email';
  /** Prefix of the external id, email address or name (case-insensitive). */
  prefix?: string;
  afterId?: number;
  limit: number;
}

/** One open recipient. */
export interface OpenRecipientRow {
  id: number;
  externalId: string;
  name: string | null;
  email: string | null;
  language: string;
  acknowledgedAt: string | null;
  reached: boolean;
  bounced: boolean;
  failed: boolean;
  /** Ids of the live remedies this recipient completed. */
  completedRemedies: number[];
}

function prefixPattern(text: string): string {
  return `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * 1 when the recipient has a delivery in one of `states`, else 0. A scalar subquery rather
 * than EXISTS: PostgreSQL plans an EXISTS as a hashed subplan that reads every delivery once
 * (0.4 s at 200,000) even when the page needs 51 index lookups.
 */
const deliveryExists = (states: RawBuilder<unknown>) =>
  sql<number>`coalesce((select 1 from deliveries d where d.recipient_id = r.id and d.state in ${states} limit 1), 0)`;

/**
 * A page of the open recipients in id order. Keyset: the next page starts after the last id,
 * and every filter is a condition on the recipient's own row or an indexed lookup from it.
 */
export async function listOpenRecipients(
  db: Executor,
  query: OpenQuery,
): Promise<OpenRecipientRow[]> {
  let q = db
    .selectFrom('case_recipients as r')
    .select([
      'r.id',
      'r.external_id',
      'r.name',
      'r.email',
      'r.language',
      'r.acknowledged_at',
      deliveryExists(REACHED_STATES).as('reached'),
      deliveryExists(sql`('bounced')`).as('bounced'),
      deliveryExists(sql`('failed')`).as('failed'),
    ])
    .where('r.case_id', '=', query.caseId)
    .where('r.id', '>', query.afterId ?? 0);
  if (query.remedyId !== undefined) {
    q = q.where(
      sql<boolean>`coalesce((select 1 from remedy_completions rc where rc.remedy_id = ${query.remedyId} and rc.recipient_id = r.id and rc.completed_at is not null), 0) = 0`,
    );
  } else {
    q = q.where(sql<boolean>`not (${completedCondition(query.active)})`);
  }
  const reachedNow = deliveryExists(REACHED_STATES);
  if (query.stage === 'unreached') q = q.where(sql<boolean>`${reachedNow} = 0`);
  if (query.stage === 'unread') {
    q = q.where('r.acknowledged_at', 'is', null).where(sql<boolean>`${reachedNow} = 1`);
  }
  if (query.stage === 'read') q = q.where('r.acknowledged_at', 'is not', null);
  if (query.language) q = q.where('r.language', '=', query.language);
  if (query.problem === 'no-email') q = q.where('r.email', 'is', null);
  if (query.problem === 'bounced' || query.problem === 'failed') {
    q = q.where(sql<boolean>`${deliveryExists(sql`(${query.problem})`)} = 1`);
  }
  const prefix = query.prefix?.trim();
  if (prefix) {
    const pattern = prefixPattern(prefix);
    q = q.where((eb) =>
      eb.or([
        eb(sql<string>`lower(r.external_id)`, 'like', sql<string>`${pattern} escape '\\'`),
        eb(sql<string>`lower(r.email)`, 'like', sql<string>`${pattern} escape '\\'`),
        eb(sql<string>`lower(r.name)`, 'like', sql<string>`${pattern} escape '\\'`),
      ]),
    );
  }
  const rows = await q.orderBy('r.id').limit(query.limit).execute();
  const done = new Map<number, number[]>();
  if (rows.length > 0 && query.active.length > 0) {
    const completions = await db
      .selectFrom('remedy_completions')
      .select(['recipient_id', 'remedy_id'])
      .where(
        'recipient_id',
        'in',
        rows.map((r) => r.id),
      )
      .where('remedy_id', 'in', [...query.active])
      .where('completed_at', 'is not', null)
      .execute();
    for (const c of completions) {
      const id = Number(c.recipient_id);
      if (!done.has(id)) done.set(id, []);
      done.get(id)!.push(Number(c.remedy_id));
    }
  }
  return rows.map((r) => ({
    id: Number(r.id),
    externalId: r.external_id,
    name: r.name,
    email: r.email,
    language: r.language,
    acknowledgedAt: r.acknowledged_at,
    reached: Number(r.reached) === 1,
    bounced: Number(r.bounced) === 1,
    failed: Number(r.failed) === 1,
    completedRemedies: done.get(Number(r.id)) ?? [],
  }));
}
