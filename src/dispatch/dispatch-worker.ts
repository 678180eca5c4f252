import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { classifyAttempt, DEFAULT_RETRY, type RetryPolicy } from '../domain/delivery.js';
import type { EmailTransport, OutgoingMessage } from '../channels/email/email-transport.js';
import type { Database } from '../store/database.js';
import {
  claimDeliveries,
  countOpenDeliveries,
  deregisterWorker,
  heartbeatWorker,
  listLiveWorkers,
  recordDeliveryResults,
  removeStaleWorkers,
  requeueOrphanedDeliveries,
  type ClaimedDelivery,
  type DeliveryResult,
} from '../store/delivery-queue.repository.js';
import { listDispatchesInState, transitionDispatch } from '../store/dispatch.repository.js';
import type { MessageRenderer } from '../services/dispatch/dispatch-renderer.js';
import { RendererCache } from './renderer-cache.js';

export type { MessageRenderer };

/** Renders one claimed delivery into a ready-to-send message. */

export interface DispatchWorkerOptions {
  database: Database;
  transport: EmailTransport;
  /**
   * Builds the renderer of a dispatch: its notice compiled once. The worker keeps it while
   * the dispatch runs, in a cache of at most `rendererCacheSize` dispatches.
   */
  rendererFor: (dispatchId: number) => Promise<MessageRenderer>;
  rendererCacheSize?: number;
  /** Deliveries claimed but not yet recorded, at most: the duplicate window after a crash. */
  inFlight?: number;
  /** Claim loops running side by side; each holds inFlight / lanes deliveries. */
  lanes?: number;
  pollMs?: number;
  heartbeatMs?: number;
  /** A worker silent this long is presumed dead and its claims are requeued. */
  staleMs?: number;
  retry?: RetryPolicy;
  onDispatchCompleted?: (dispatchId: number) => Promise<void>;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Claims deliveries in batches, renders, sends and records them. Safe to run in several
 * processes on PostgreSQL; after a crash, the claims of the dead worker (at most inFlight
 * deliveries, which may have been sent) go back to the queue, so nobody is missed and
 * duplicates stay within that window.
 */
export class DispatchWorker {
  readonly id = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private running = false;
  private loops: Promise<void>[] = [];
  private heartbeat: NodeJS.Timeout | null = null;
  /** One waker per idle lane: a nudge or stop must reach every lane, not the last to idle. */
  private readonly wakers = new Set<() => void>();
  private readonly renderers: RendererCache<MessageRenderer>;
  private lastBeatAt = 0;
  private readonly o: Required<Omit<DispatchWorkerOptions, 'onDispatchCompleted' | 'log'>> &
    Pick<DispatchWorkerOptions, 'onDispatchCompleted' | 'log'>;

  constructor(options: DispatchWorkerOptions) {
    this.o = {
      inFlight: 50,
      lanes: 2,
      pollMs: 500,
      heartbeatMs: 5_000,
      staleMs: 15_000,
      retry: DEFAULT_RETRY,
      rendererCacheSize: 8,
      ...options,
    };
    this.renderers = new RendererCache(this.o.rendererCacheSize);
  }

  /** Registers, requeues orphaned claims, and starts the claim loops. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.beat();
    await this.recoverOrphans();
    this.heartbeat = setInterval(() => {
      this.beat()
        .then(() => this.recoverOrphans())
        .catch((error: unknown) => this.o.log?.('heartbeat failed', { error: String(error) }));
    }, this.o.heartbeatMs);
    const perLane = Math.max(1, Math.floor(this.o.inFlight / this.o.lanes));
    this.loops = Array.from({ length: this.o.lanes }, () => this.loop(perLane));
  }

  /** Lets the current batches finish, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.wakeAll();
    await Promise.all(this.loops);
    await deregisterWorker(this.o.database.db, this.id);
  }

  /**
   * Running, and its last heartbeat reached the database within the stale window: what the
   * other workers judge it by, so /readyz says the same thing they do.
   */
  alive(now = Date.now()): boolean {
    return this.running && now - this.lastBeatAt < this.o.staleMs;
  }

  /** Wakes idle loops now (a dispatch was just started or resumed). */
  nudge(): void {
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }

  /** The dispatches whose renderer this worker holds (least recently used first). */
  cachedRenderers(): number[] {
    return this.renderers.keys();
  }

  /** Processes one batch of at most `limit`; returns how many deliveries it handled. */
  async runOnce(limit = this.o.inFlight): Promise<number> {
    const { db, dialect } = this.o.database;
    const running = await listDispatchesInState(db, 'running');
    // A paused, cancelled or completed dispatch needs no renderer here any more.
    this.renderers.retainOnly(running.map((d) => d.id));
    for (const dispatch of running) {
      // The renderer first: rows claimed and then not sent would sit in 'sending' under a
      // live worker, out of reach of orphan recovery (e.g. a notice edited after the start).
      let render: MessageRenderer;
      try {
        render = await this.renderers.get(dispatch.id, this.o.rendererFor);
      } catch (error) {
        this.o.log?.('dispatch cannot be rendered; not claiming it', {
          dispatchId: dispatch.id,
          error: String(error),
        });
        continue;
      }
      try {
        const now = new Date().toISOString();
        const claimed = await db
          .transaction()
          .execute((tx) => claimDeliveries(tx, dialect, dispatch.id, this.id, limit, now));
        if (claimed.length === 0) {
          await this.completeIfDone(dispatch.id);
          continue;
        }
        const results = await Promise.all(claimed.map((d) => this.deliver(d, render)));
        this.logUnsent(dispatch.id, claimed, results);
        await this.record(dispatch.id, results);
        return claimed.length;
      } catch (error) {
        // The log line names the dispatch; the loop waits a poll interval and tries again.
        this.o.log?.('dispatch batch failed', { dispatchId: dispatch.id, error: String(error) });
        return 0;
      }
    }
    return 0;
  }

  /**
   * Records a batch, retrying through a passing database hiccup. If it still fails the
   * rows stay claimed by this worker; they are re-sent (the in-flight window) once this
   * worker stops or restarts and its claims go back to the queue.
   */
  private async record(dispatchId: number, results: DeliveryResult[]): Promise<void> {
    const { db, dialect } = this.o.database;
    for (let attempt = 1; ; attempt++) {
      try {
        await db
          .transaction()
          .execute((tx) =>
            recordDeliveryResults(tx, dialect, this.id, results, new Date().toISOString()),
          );
        return;
      } catch (error) {
        if (attempt >= 5) throw error;
        this.o.log?.('recording a batch failed; retrying', {
          dispatchId,
          deliveryIds: results.map((r) => r.id),
          attempt,
          error: String(error),
        });
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      }
    }
  }

  /** One line per delivery that was not sent this time, with its ids and the answer. */
  private logUnsent(dispatchId: number, claimed: ClaimedDelivery[], results: DeliveryResult[]) {
    if (!this.o.log) return;
    results.forEach((result, i) => {
      if (result.state === 'sent') return;
      this.o.log?.(`delivery ${result.state}`, {
        dispatchId,
        deliveryId: result.id,
        attempt: claimed[i]?.attempts,
        response: result.response,
      });
    });
  }

  private async deliver(
    delivery: ClaimedDelivery,
    render: MessageRenderer,
  ): Promise<DeliveryResult> {
    let message: OutgoingMessage;
    try {
      message = render(delivery);
    } catch (error) {
      // Rendering is deterministic (the pinned snapshot, this recipient's frozen data): a
      // retry would fail the same way for hours. Failed at once, with the reason.
      const reason = error instanceof Error ? error.message : String(error);
      return {
        id: delivery.id,
        state: 'failed',
        response: `cannot be rendered: ${reason}`,
        nextAttemptAt: null,
      };
    }
    let outcome;
    try {
      outcome = await this.o.transport.send(message);
    } catch (error) {
      outcome = { kind: 'transient' as const, reason: `send error: ${String(error)}` };
    }
    const result = classifyAttempt(outcome, delivery.attempts, this.o.retry, Date.now());
    return { id: delivery.id, ...result };
  }

  private async loop(limit: number): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.runOnce(limit);
      } catch (error) {
        this.o.log?.('dispatch batch failed', { error: String(error) });
      }
      if (handled === 0 && this.running) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            this.wakers.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, this.o.pollMs);
          this.wakers.add(wake);
        });
      }
    }
  }

  private async completeIfDone(dispatchId: number): Promise<void> {
    const { db } = this.o.database;
    if ((await countOpenDeliveries(db, dispatchId)) > 0) return;
    const now = new Date().toISOString();
    this.renderers.delete(dispatchId);
    if (await transitionDispatch(db, dispatchId, ['running'], 'completed', now)) {
      await this.o.onDispatchCompleted?.(dispatchId);
    }
  }

  private async beat(): Promise<void> {
    await heartbeatWorker(
      this.o.database.db,
      { id: this.id, host: os.hostname(), pid: process.pid },
      new Date().toISOString(),
    );
    this.lastBeatAt = Date.now();
  }

  private async recoverOrphans(): Promise<void> {
    const { db } = this.o.database;
    const now = Date.now();
    const live = await listLiveWorkers(db, new Date(now - this.o.staleMs).toISOString());
    const requeued = await requeueOrphanedDeliveries(
      db,
      [...new Set([...live, this.id])],
      new Date(now).toISOString(),
    );
    if (requeued > 0) this.o.log?.('requeued deliveries of a stopped worker', { requeued });
    await removeStaleWorkers(db, new Date(now - 24 * 3600_000).toISOString());
  }
}
