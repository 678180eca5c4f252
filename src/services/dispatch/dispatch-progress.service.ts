import { authorize, type Actor } from '../../domain/access.js';
import { DELIVERY_STATES, type DeliveryState, type DispatchState } from '../../domain/delivery.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Database } from '../../store/database.js';
import {
  countDeliveriesByState,
  findDispatch,
  listDispatchesOfCase,
} from '../../store/dispatch.repository.js';
import * as report from '../../store/delivery-report.repository.js';
import { countFrozenRecipients } from '../../store/recipient.repository.js';
import { listNoticesOfCase } from '../../store/notice.repository.js';
import type { CaseRow, DispatchRow } from '../../store/schema.js';
import { requireCase } from '../cases/case-lookup.js';
import type { DispatchProgress } from './dispatch.service.js';

/**
 * What the workspace's dispatch and deliveries tabs read: the dispatches of a case, a page
 * of deliveries, and the two charts (delivery progress per minute, the recall-completion
 * curve per day). Read-only; the changes go through dispatch.service.ts.
 */

type Deps = { database: Database };

/** A dispatch as the case's dispatch list shows it. */
export interface DispatchSummary {
  id: number;
  noticeId: number;
  noticeTitle: string;
  state: DispatchState;
  total: number;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
}

/** Approved notices to the affected set: what can be sent. */
export interface SendableNotice {
  id: number;
  title: string;
  version: number;
  approvedBy: string | null;
}

export interface DispatchPanel {
  kase: CaseRow;
  dispatches: DispatchSummary[];
  sendable: SendableNotice[];
  /** Notices to the affected set that still wait for (re)approval. */
  unapproved: number;
  /** The frozen set's size once frozen; null before the first dispatch. */
  frozen: { total: number; withoutEmail: number } | null;
}

/** The dispatches of a case with the notices that could be sent next. */
export async function getDispatchPanel(
  actor: Actor,
  caseRef: string,
  deps: Deps,
): Promise<DispatchPanel> {
  authorize(actor, 'cases:read');
  const { db } = deps.database;
  const kase = await requireCase(db, caseRef);
  const notices = await listNoticesOfCase(db, kase.id);
  const titles = new Map(notices.map((n) => [n.id, n.title]));
  const affected = notices.filter((n) => n.audience === 'affected');
  const sendable = affected
    .filter((n) => n.approved_hash !== null && n.approved_hash === n.content_hash)
    .map((n) => ({ id: n.id, title: n.title, version: n.version, approvedBy: n.approved_by }));
  const dispatches = (await listDispatchesOfCase(db, kase.id)).map((d) => ({
    id: d.id,
    noticeId: d.notice_id,
    noticeTitle: titles.get(d.notice_id) ?? `#${d.notice_id}`,
    state: d.state,
    total: d.total,
    createdBy: d.created_by,
    createdAt: d.created_at,
    finishedAt: d.finished_at,
  }));
  return {
    kase,
    dispatches,
    sendable,
    unapproved: affected.length - sendable.length,
    frozen: kase.frozen_at ? await countFrozenRecipients(db, kase.id) : null,
  };
}

/** A dispatch that belongs to the case, or NotFoundError (ids from one case never show another's). */
export async function requireCaseDispatch(
  actor: Actor,
  caseRef: string,
  dispatchId: number,
  deps: Deps,
): Promise<{ kase: CaseRow; dispatch: DispatchRow }> {
  authorize(actor, 'cases:read');
  const kase = await requireCase(deps.database.db, caseRef);
  const dispatch = await findDispatch(deps.database.db, dispatchId);
  if (!dispatch || dispatch.case_id !== kase.id) {
    throw new NotFoundError(`case ${kase.reference} has no dispatch ${dispatchId}`);
  }
  return { kase, dispatch };
}

export interface DeliveryPageQuery {
  state?: DeliveryState;
  search?: string;
  afterId?: number;
  limit?: number;
}

export interface DeliveryPage {
  rows: report.DeliveryReportRow[];
  /** The cursor of the next page, or null on the last page. */
  nextAfterId: number | null;
  counts: Record<DeliveryState, number>;
}

/** One page of a dispatch's deliveries with the counts per state for the filter. */
export async function getDeliveryPage(
  actor: Actor,
  dispatchId: number,
  query: DeliveryPageQuery,
  deps: Deps,
): Promise<DeliveryPage> {
  authorize(actor, 'cases:read');
  const { db } = deps.database;
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  // One row more than shown tells whether a next page exists without counting.
  const rows = await report.listDispatchDeliveries(db, deps.database.dialect, {
    dispatchId,
    state: query.state,
    search: query.search,
    afterId: query.afterId,
    limit: limit + 1,
  });
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const byState = await countDeliveriesByState(db, dispatchId);
  const counts = Object.fromEntries(DELIVERY_STATES.map((s) => [s, byState[s] ?? 0])) as Record<
    DeliveryState,
    number
  >;
  return { rows: page, nextAfterId: more ? page[page.length - 1]!.id : null, counts };
}

/** Cumulative outcomes of a dispatch, one point per time step from its start. */
export interface DeliveryCurve {
  /** `YYYY-MM-DDTHH:MM` (UTC) at the end of each step. */
  minutes: string[];
  sent: number[];
  failed: number[];
  total: number;
  /** Minutes per point: 1 unless the dispatch ran so long that the points were merged. */
  stepMinutes: number;
}

const MAX_POINTS = 240;

// Bucketing reads every settled delivery of the dispatch (about 1.4 s for 300,000 on SQLite),
// so the curve is kept per dispatch and recomputed only when the settled numbers changed,
// and while sending at most every 15 seconds.
// Per store (tests run several in one process), then per dispatch.
type CurveCache = Map<number, { key: string; at: number; curve: DeliveryCurve }>;
const curveCaches = new WeakMap<object, CurveCache>();
const RUNNING_REUSE_MS = 15_000;

/**
 * Delivery progress over time: cumulative sent and failed, gaps filled, at most 240 points.
 * `progress` (the dispatch's current counts) lets a repeated view reuse the last curve.
 */
export async function getDeliveryCurve(
  actor: Actor,
  dispatch: DispatchRow,
  deps: Deps,
  progress?: DispatchProgress,
): Promise<DeliveryCurve> {
  authorize(actor, 'cases:read');
  const { db, dialect } = deps.database;
  const key = progress
    ? `${progress.state}|${progress.counts.sent}|${progress.counts.bounced}|${progress.counts.failed}`
    : null;
  let curveCache = curveCaches.get(db);
  if (!curveCache) curveCaches.set(db, (curveCache = new Map() as CurveCache));
  const cached = curveCache.get(dispatch.id);
  if (
    key &&
    cached &&
    (cached.key === key ||
      (progress?.state === 'running' && Date.now() - cached.at < RUNNING_REUSE_MS))
  ) {
    return cached.curve;
  }
  const buckets = await report.countOutcomesPerMinute(db, dialect, dispatch.id);
  const curve = cumulativeCurve(buckets, dispatch.created_at.slice(0, 16), dispatch.total);
  if (key) {
    if (curveCache.size >= 200) curveCache.delete(curveCache.keys().next().value as number);
    curveCache.set(dispatch.id, { key, at: Date.now(), curve });
  }
  return curve;
}

/** Fills the minutes between the start and the last outcome and accumulates (pure; exported for tests). */
export function cumulativeCurve(
  buckets: readonly report.MinuteBucket[],
  startMinute: string,
  total: number,
): DeliveryCurve {
  const empty = { minutes: [], sent: [], failed: [], total, stepMinutes: 1 };
  if (buckets.length === 0) return empty;
  const toMs = (minute: string) => Date.parse(`${minute}:00Z`);
  const first = Math.min(toMs(startMinute), toMs(buckets[0]!.minute));
  const last = toMs(buckets[buckets.length - 1]!.minute);
  const span = Math.round((last - first) / 60_000) + 1;
  const step = Math.max(1, Math.ceil(span / MAX_POINTS));
  const curve: DeliveryCurve = { ...empty, stepMinutes: step };
  let sent = 0;
  let failed = 0;
  let k = 0;
  // The first point is the start (nothing done yet), then one per step up to the last outcome.
  for (let t = first - 60_000; ; t += step * 60_000) {
    const end = Math.min(t, last);
    while (k < buckets.length && toMs(buckets[k]!.minute) <= end) {
      sent += buckets[k]!.sent;
      failed += buckets[k]!.failed;
      k += 1;
    }
    curve.minutes.push(new Date(end).toISOString().slice(0, 16));
    curve.sent.push(sent);
    curve.failed.push(failed);
    if (end >= last) break;
  }
  return curve;
}

/** The recall-completion curve: share of recipients who acknowledged and remedied, per day. */
export interface RecallCurve {
  /** The first dispatch of the case: day 0 starts here. */
  since: string;
  recipients: number;
  /** Cumulative ratios (0..1), index = day. */
  acknowledged: number[];
  remedied: number[];
  /** The latest counts. */
  acknowledgedCount: number;
  remediedCount: number;
}

/** The recall-completion curve of a case, from its first dispatch to today (at most a year). */
export async function getRecallCurve(
  actor: Actor,
  kase: CaseRow,
  deps: Deps,
  now: Date = new Date(),
): Promise<RecallCurve | null> {
  authorize(actor, 'cases:read');
  const { db, dialect } = deps.database;
  const since = await report.findFirstDispatchAt(db, kase.id);
  if (!since) return null;
  const { total } = await countFrozenRecipients(db, kase.id);
  const days = await report.countResponsesPerDay(db, dialect, kase.id, since);
  return recallCurveOf(days, since, total, now);
}

/** Accumulates per-day responses into ratios (pure; exported for tests). */
export function recallCurveOf(
  days: readonly report.DayBucket[],
  since: string,
  recipients: number,
  now: Date,
): RecallCurve {
  const today = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 86_400_000));
  const lastDay = Math.min(365, Math.max(today, days[days.length - 1]?.day ?? 0));
  const acknowledged: number[] = [];
  const remedied: number[] = [];
  let ack = 0;
  let rem = 0;
  let k = 0;
  for (let day = 0; day <= lastDay; day += 1) {
    while (k < days.length && days[k]!.day <= day) {
      ack += days[k]!.acknowledged;
      rem += days[k]!.remedied;
      k += 1;
    }
    acknowledged.push(recipients > 0 ? ack / recipients : 0);
    remedied.push(recipients > 0 ? rem / recipients : 0);
  }
  return {
    since,
    recipients,
    acknowledged,
    remedied,
    acknowledgedCount: ack,
    remediedCount: rem,
  };
}
