import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import { DELIVERY_STATES } from '../domain/delivery.js';
import type { OpsSnapshot } from '../services/operations/ops-snapshot.service.js';

/**
 * The Prometheus registry of one server process. The delivery, queue, worker and clock figures
 * come from the database (the snapshot), so any server shows the whole installation, workers
 * in other processes included; HTTP latency and the process figures are this process's own.
 */
export function createMetricsRegistry(read: () => Promise<OpsSnapshot>): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  new Gauge({
    name: 'candor_deliveries',
    help: 'Deliveries by state, all dispatches.',
    labelNames: ['state'],
    registers,
    async collect() {
      const s = await read();
      for (const state of DELIVERY_STATES) this.set({ state }, s.deliveries[state] ?? 0);
    },
  });
  // Totals kept in the database, exported as counters so rate() gives the send rate. A total
  // that went down (a restore from an older backup) is a counter reset, as Prometheus expects.
  const totalFromDatabase = (name: string, help: string, pick: (s: OpsSnapshot) => number) => {
    let last = 0;
    new Counter({
      name,
      help,
      registers,
      async collect() {
        const value = pick(await read());
        if (value < last) this.reset();
        if (value !== last) this.inc(value < last ? value : value - last);
        last = value;
      },
    });
  };
  totalFromDatabase(
    'candor_deliveries_sent_total',
    'Deliveries sent (all processes); rate() of it is the send rate.',
    (s) => s.deliveries.sent ?? 0,
  );
  totalFromDatabase(
    'candor_deliveries_bounced_total',
    'Deliveries that bounced (SMTP refusal or an imported DSN).',
    (s) => s.deliveries.bounced ?? 0,
  );
  totalFromDatabase(
    'candor_delivery_retries_total',
    'Delivery attempts beyond the first (a deferred delivery tried again).',
    (s) => s.retries,
  );
  const gauge = (name: string, help: string, pick: (s: OpsSnapshot) => number | null) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const value = pick(await read());
        if (value === null) this.reset();
        else this.set(value);
      },
    });
  gauge(
    'candor_queue_depth',
    'Queued or deferred deliveries of running dispatches.',
    (s) => s.queueDepth,
  );
  gauge(
    'candor_queue_oldest_seconds',
    'How long the longest-waiting due delivery has waited (0: nothing due).',
    (s) => s.oldestQueuedSeconds,
  );
  gauge(
    'candor_dispatch_workers_alive',
    'Dispatch workers (any process) whose heartbeat is recent.',
    (s) => s.liveWorkers,
  );
  gauge(
    'candor_legal_clock_nearest_seconds',
    'Seconds left on the running legal clock nearest its deadline; negative when overdue; absent when none runs.',
    (s) => s.nearestClockSeconds,
  );
  gauge(
    'candor_legal_clocks_overdue',
    'Running legal clocks past their deadline.',
    (s) => s.overdueClocks,
  );
  return registry;
}

/**
 * HTTP latency per route pattern (`/app/cases/:ref`, not the raw URL: one series per route,
 * not per case or token). Requests no route matched share the label `unmatched`.
 */
export function registerHttpMetrics(app: FastifyInstance, registry: Registry): void {
  const histogram = new Histogram({
    name: 'candor_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', (request, reply, done) => {
    histogram.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
