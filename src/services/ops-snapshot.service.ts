import type { Database } from '../store/database.js';
import { listCasesWithRunningClocks } from '../store/clock-alert.repository.js';
import {
  countDeliveriesByState,
  countLiveWorkers,
  readQueueDepth,
  type DeliveryTotals,
} from '../store/ops-metrics.repository.js';
import { clocksOfCases } from './legal-clock.service.js';

/** What the database says about the whole installation (all processes), at one moment. */
export interface OpsSnapshot {
  at: number;
  deliveries: DeliveryTotals;
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
  const ttl = options.ttlMs ?? 5_000;
  return {
    async read() {
      if (last && Date.now() - last.at < ttl) return last;
      running ??= readSnapshot(deps.database, options.staleWorkerMs).finally(
        () => (running = null),
      );
      last = await running;
      return last;
    },
  };
}

async function readSnapshot(database: Database, staleWorkerMs: number): Promise<OpsSnapshot> {
  const db = database.db;
  const now = new Date();
  const [deliveries, queue, liveWorkers, cases] = await Promise.all([
    countDeliveriesByState(db),
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
    deliveries,
    queueDepth: queue.waiting,
    oldestQueuedSeconds: queue.oldestDueAt
      ? Math.max(0, (now.getTime() - Date.parse(queue.oldestDueAt)) / 1000)
      : 0,
    liveWorkers,
    nearestClockSeconds: nearest === null ? null : Math.round(nearest / 1000),
    overdueClocks: running.filter((c) => c.state === 'overdue').length,
  };
}
