import type { Database } from '../../store/database.js';
import { listCasesWithRunningClocks } from '../../store/clock-alert.repository.js';
import { countDeliveriesByState } from '../../store/dispatch.repository.js';
import type { Executor } from '../../store/executor.js';
import {
  countLiveWorkers,
  countRetries,
  listDispatchStates,
  readQueueDepth,
} from '../../store/ops-metrics.repository.js';
import { clocksOfCases } from '../assessment/legal-clock.service.js';

/** What the database says about the whole installation (all processes), at one moment. */
export interface OpsSnapshot {
  at: number;
  /** Deliveries per state, all dispatches. */
  deliveries: Record<string, number>;
  /** Attempts beyond the first, all dispatches. */
  retries: number;
  /** Queued or deferred deliveries of running dispatches. */
  queueDepth: number;
  /** Seconds the longest-waiting due delivery has waited (0: nothing due). */
  oldestQueuedSeconds: number;
  /** Dispatch workers (any process) with a recent heartbeat. */
  liveWorkers: number;
  /** Seconds left on the running legal clock nearest its deadline (negative: overdue). */
  nearestClockSeconds: number | null;
  /** Running legal clocks past their deadline. */
  overdueClocks: number;
}

/**
 * Reads the snapshot at most once per `ttlMs`; concurrent scrapes (several Prometheus
 * servers, a retry) share one read. A metrics scrape therefore costs the database a few
 * queries every few seconds however often it comes.
 */
export function createOpsSnapshot(
  deps: { database: Database },
  options: { ttlMs?: number; staleWorkerMs: number },
): { read(): Promise<OpsSnapshot> } {
  let last: OpsSnapshot | null = null;
  let running: Promise<OpsSnapshot> | null = null;
  const ttl = options.ttlMs ?? 10_000;
  const counts = new FinishedDispatchCounts();
  return {
    async read() {
      if (last && Date.now() - last.at < ttl) return last;
      running ??= readSnapshot(deps.database, options.staleWorkerMs, counts).finally(
        () => (running = null),
      );
      last = await running;
      return last;
    },
  };
}

/**
 * Counts of finished (completed or cancelled) dispatches, kept for ten minutes: only an
 * imported bounce still changes them, and recounting a finished million-recipient dispatch on
 * every scrape would cost more than the rest of the snapshot together.
 */
class FinishedDispatchCounts {
  private readonly cache = new Map<number, { at: number; counts: DispatchCounts }>();

  async read(db: Executor, id: number, finished: boolean): Promise<DispatchCounts> {
    const hit = this.cache.get(id);
    if (finished && hit && Date.now() - hit.at < 600_000) return hit.counts;
    const counts = {
      byState: await countDeliveriesByState(db, id),
      retries: await countRetries(db, id),
    };
    if (finished) this.cache.set(id, { at: Date.now(), counts });
    else this.cache.delete(id);
    return counts;
  }
}

interface DispatchCounts {
  byState: Record<string, number>;
  retries: number;
}

async function deliveryCounts(
  db: Executor,
  counts: FinishedDispatchCounts,
): Promise<DispatchCounts> {
  const total: DispatchCounts = { byState: {}, retries: 0 };
  // One dispatch at a time: a handful of index range scans, not a burst of parallel ones.
  for (const d of await listDispatchStates(db)) {
    const finished = d.state === 'completed' || d.state === 'cancelled';
    const one = await counts.read(db, d.id, finished);
    for (const [state, n] of Object.entries(one.byState))
      total.byState[state] = (total.byState[state] ?? 0) + n;
    total.retries += one.retries;
  }
  return total;
}

async function readSnapshot(
  database: Database,
  staleWorkerMs: number,
  counts: FinishedDispatchCounts,
): Promise<OpsSnapshot> {
  const db = database.db;
  const now = new Date();
  const [deliveries, queue, liveWorkers, cases] = await Promise.all([
    deliveryCounts(db, counts),
    readQueueDepth(db, now.toISOString()),
    countLiveWorkers(db, new Date(now.getTime() - staleWorkerMs).toISOString()),
    listCasesWithRunningClocks(db),
  ]);
  const running = cases.length
    ? (await clocksOfCases(db, cases, now))
        .flatMap((c) => c.clocks)
        .filter((c) => c.state !== 'done')
    : [];
  const nearest = running.reduce<number | null>(
    (min, c) => (min === null || c.remainingMs < min ? c.remainingMs : min),
    null,
  );
  return {
    at: Date.now(),
    deliveries: deliveries.byState,
    retries: deliveries.retries,
    queueDepth: queue.waiting,
    oldestQueuedSeconds: queue.oldestDueAt
      ? Math.max(0, (now.getTime() - Date.parse(queue.oldestDueAt)) / 1000)
      : 0,
    liveWorkers,
    nearestClockSeconds: nearest === null ? null : Math.round(nearest / 1000),
    overdueClocks: running.filter((c) => c.state === 'overdue').length,
  };
}
