import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from './database.js';
import type { Executor } from './executor.js';
import type { DeliveryState } from '../domain/delivery.js';

/**
 * Read-only reports over deliveries and recipients for the workspace: the deliveries table
 * (filter, search, keyset pages), delivery progress over time and the recall-completion
 * curve. Time bucketing differs per engine: timestamps are ISO text on SQLite and
 * timestamptz on PostgreSQL.
 */

/** One row of the deliveries table: the delivery plus who it was for and how they answered. */
export interface DeliveryReportRow {
  id: number;
  dispatchId: number;
  noticeId: number;
  recipientId: number;
  externalId: string;
  name: string | null;
  email: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string;
  messageId: string;
  smtpResponse: string | null;
  sentAt: string | null;
  updatedAt: string;
  acknowledgedAt: string | null;
  remediedAt: string | null;
}

export interface DeliveryQuery {
  dispatchId: number;
  /** Only deliveries in this state. */
  state?: DeliveryState;
  /**
   * The start of the email address or of the name, or the whole external id; case does not
   * matter. A prefix, not any part: that is what an index finds in a million rows at once.
   */
  search?: string;
  /** Keyset cursor: deliveries with a larger id than this. */
  afterId?: number;
  limit: number;
}

/** The highest code point: every string that starts with a prefix sorts below prefix + this. */
const AFTER_PREFIX = '\u{10FFFF}';

/**
 * `lower(column)` as the recipient-search indexes hold it (migration recipient-search): in the
 * byte-order "C" collation on PostgreSQL, where a prefix is a range; SQLite compares bytes.
 */
function lowered(dialect: Dialect, column: string): RawBuilder<string> {
  return dialect === 'postgres'
    ? sql<string>`(lower(${sql.ref(column)}) collate "C")`
    : sql<string>`lower(${sql.ref(column)})`;
}

/**
 * A page of a dispatch's deliveries in id order (the order they were queued). Keyset
 * pagination: the next page starts after the last id, so page 1,000 costs what page 1 costs.
 * Per dispatch, not per case: the primary key and the (dispatch_id, …) indexes then serve
 * the walk without sorting a million rows.
 */
export async function listDispatchDeliveries(
  db: Executor,
  dialect: Dialect,
  query: DeliveryQuery,
): Promise<DeliveryReportRow[]> {
  let q = selectReport(db, query);
  if (query.state) q = q.where('dl.state', '=', query.state);
  const search = query.search?.trim();
  if (search) {
    const ids = await matchingRecipients(db, dialect, query.dispatchId, search);
    if (ids.length <= FEW_MATCHES) {
      // Few recipients: each delivery by (dispatch, recipient), sorted here. Left to itself a
      // planner without statistics walks all deliveries of the dispatch looking for them.
      if (ids.length === 0) return [];
      // The cursor is applied here too: in SQL it would lead SQLite back to the walk.
      const after = query.afterId ?? 0;
      const rows = await q.where('dl.recipient_id', 'in', ids).execute();
      return rows
        .filter((r) => Number(r.id) > after)
        .sort((a, b) => Number(a.id) - Number(b.id))
        .slice(0, query.limit)
        .map(present);
    }
    // Many: they are dense among the deliveries, so walking in queue order finds a page soon.
    q = q.where('dl.recipient_id', 'in', matchQuery(db, dialect, query.dispatchId, search));
  }
  const rows = await q
    .where('dl.id', '>', query.afterId ?? 0)
    .orderBy('dl.id')
    .limit(query.limit)
    .execute();
  return rows.map(present);
}

/** The columns of a report row, for one dispatch after the keyset cursor. */
function selectReport(db: Executor, query: DeliveryQuery) {
  return db
    .selectFrom('deliveries as dl')

    .innerJoin('dispatches as d', 'd.id', 'dl.dispatch_id')
    .innerJoin('case_recipients as r', 'r.id', 'dl.recipient_id')
    .select([
      'dl.id',
      'dl.dispatch_id',
      'd.notice_id',
      'dl.recipient_id',
      'r.external_id',
      'r.name',
      'dl.email',
      'dl.state',
      'dl.attempts',
      'dl.next_attempt_at',
      'dl.message_id',
      'dl.smtp_response',
      'dl.sent_at',
      'dl.updated_at',
      'r.acknowledged_at',
      'r.remedied_at',
    ])
    .where('dl.dispatch_id', '=', query.dispatchId);
}

type ReportSelection = Awaited<ReturnType<ReturnType<typeof selectReport>['execute']>>[number];

/** Up to this many matching recipients are looked up one by one (see listDispatchDeliveries). */
const FEW_MATCHES = 2000;

/**
 * The recipients of the dispatch's case whose email address or name starts with `search`, or
 * whose external id is `search` (as typed, in capitals or in lower case), each part through
 * its own index.
 */
function matchQuery(db: Executor, dialect: Dialect, dispatchId: number, search: string) {
  const prefix = search.toLowerCase();
  const caseId = db.selectFrom('dispatches').select('case_id').where('id', '=', dispatchId);
  const byPrefix = (column: string) =>
    db
      .selectFrom('case_recipients')
      .select('id')
      .where('case_id', '=', caseId)
      .where(lowered(dialect, column), '>=', prefix)
      .where(lowered(dialect, column), '<', `${prefix}${AFTER_PREFIX}`);
  // UNION ALL: a plain UNION merges in id order, and SQLite then reads the external-id part
  // through the (case, id) index, every recipient of the case (66 ms instead of 0.1 ms).
  return byPrefix('email')
    .unionAll(byPrefix('name'))
    .unionAll(
      db
        .selectFrom('case_recipients')
        .select('id')
        .where('case_id', '=', caseId)
        .where('external_id', 'in', [...new Set([search, search.toUpperCase(), prefix])]),
    );
}

/** The ids of matchQuery, each once; a few more than FEW_MATCHES tells there are many. */
async function matchingRecipients(
  db: Executor,
  dialect: Dialect,
  dispatchId: number,
  search: string,
): Promise<number[]> {
  const rows = await db
    .selectFrom(matchQuery(db, dialect, dispatchId, search).as('m'))
    .select('m.id')
    .limit(3 * FEW_MATCHES + 1)
    .execute();
  return [...new Set(rows.map((r) => Number(r.id)))];
}

function present(r: ReportSelection): DeliveryReportRow {
  return {
    id: Number(r.id),
    dispatchId: Number(r.dispatch_id),
    noticeId: Number(r.notice_id),
    recipientId: Number(r.recipient_id),
    externalId: r.external_id,
    name: r.name,
    email: r.email,
    state: r.state,
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    messageId: r.message_id,
    smtpResponse: r.smtp_response,
    sentAt: r.sent_at,
    updatedAt: r.updated_at,
    acknowledgedAt: r.acknowledged_at,
    remediedAt: r.remedied_at,
  };
}

/** The minute (`YYYY-MM-DDTHH:MM`, UTC) of a timestamp column, per engine. */
function minuteOf(dialect: Dialect, column: string): RawBuilder<string> {
  return dialect === 'postgres'
    ? sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI')`
    : sql<string>`substr(${sql.ref(column)}, 1, 16)`;
}

/** Whole days from `since` to a timestamp column (0 on the first day), per engine. */
function dayIndexOf(dialect: Dialect, column: string, since: string): RawBuilder<number> {
  return dialect === 'postgres'
    ? sql<number>`floor(extract(epoch from (${sql.ref(column)} - cast(${since} as timestamptz))) / 86400)`
    : sql<number>`cast(floor(julianday(${sql.ref(column)}) - julianday(${since})) as integer)`;
}

/** Deliveries that reached a final outcome in one minute. */
export interface MinuteBucket {
  /** `YYYY-MM-DDTHH:MM` in UTC. */
  minute: string;
  sent: number;
  failed: number;
}

/**
 * Outcomes of a dispatch per minute: accepted by the receiving server (state sent, by
 * sent_at) and not delivered (bounced or failed, by updated_at, when the outcome was
 * recorded). Only the buckets that have something; the caller accumulates.
 */
export async function countOutcomesPerMinute(
  db: Executor,
  dialect: Dialect,
  dispatchId: number,
): Promise<MinuteBucket[]> {
  const sent = await db
    .selectFrom('deliveries')
    .select([minuteOf(dialect, 'sent_at').as('minute'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('dispatch_id', '=', dispatchId)
    .where('state', '=', 'sent')
    .groupBy(sql`1`)
    .execute();
  const failed = await db
    .selectFrom('deliveries')
    .select([
      minuteOf(dialect, 'updated_at').as('minute'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('dispatch_id', '=', dispatchId)
    .where('state', 'in', ['bounced', 'failed'])
    .groupBy(sql`1`)
    .execute();
  const buckets = new Map<string, MinuteBucket>();
  const bucket = (minute: string) => {
    let b = buckets.get(minute);
    if (!b) buckets.set(minute, (b = { minute, sent: 0, failed: 0 }));
    return b;
  };
  for (const r of sent) if (r.minute) bucket(r.minute).sent += Number(r.n);
  for (const r of failed) if (r.minute) bucket(r.minute).failed += Number(r.n);
  return [...buckets.values()].sort((a, b) => a.minute.localeCompare(b.minute));
}

/** Responses of recipients on one day after the first notice. */
export interface DayBucket {
  /** 0 = the day (24 hours) that starts at the first notice. */
  day: number;
  acknowledged: number;
  remedied: number;
}

/**
 * Acknowledgements and remedies of a case's recipients per day since `since` (the first
 * dispatch). Responses recorded before `since` count on day 0.
 */
export async function countResponsesPerDay(
  db: Executor,
  dialect: Dialect,
  caseId: number,
  since: string,
): Promise<DayBucket[]> {
  const perDay = (column: 'acknowledged_at' | 'remedied_at') =>
    db
      .selectFrom('case_recipients')
      .select([
        dayIndexOf(dialect, column, since).as('day'),
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('case_id', '=', caseId)
      .where(column, 'is not', null)
      .groupBy(sql`1`)
      .execute();
  const buckets = new Map<number, DayBucket>();
  const bucket = (day: number) => {
    const d = Math.max(0, Number(day));
    let b = buckets.get(d);
    if (!b) buckets.set(d, (b = { day: d, acknowledged: 0, remedied: 0 }));
    return b;
  };
  for (const r of await perDay('acknowledged_at')) bucket(r.day).acknowledged += Number(r.n);
  for (const r of await perDay('remedied_at')) bucket(r.day).remedied += Number(r.n);
  return [...buckets.values()].sort((a, b) => a.day - b.day);
}

/** When a case's first dispatch started, or null before any. */
export async function findFirstDispatchAt(db: Executor, caseId: number): Promise<string | null> {
  const row = await db
    .selectFrom('dispatches')
    .select((eb) => eb.fn.min<string>('created_at').as('first'))
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return row?.first ?? null;
}
