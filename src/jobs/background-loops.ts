import type { EmailTransport } from '../channels/email/email-transport.js';
import type { DispatchWorker } from '../dispatch/dispatch-worker.js';
import { createWorker } from '../dispatch/worker-wiring.js';
import { startClockAlerts } from '../services/assessment/clock-alert.service.js';
import { startEmbargoScheduler } from '../services/publication/embargo-release.service.js';
import { PublicationOutboxLoop } from '../services/publication/publication-outbox.service.js';
import { startReminderChecker } from '../services/remedies/reminder.service.js';
import { QuestionReplyLoop } from '../services/recipients/question-reply-sender.service.js';
import type { AppContext } from '../wiring.js';

/** The loops of a `serve` / `demo` process, and the one way to stop them all. */
export interface BackgroundLoops {
  /** The dispatch worker, when this process runs one (nudged when a dispatch starts). */
  worker: DispatchWorker | null;
  /** Each loop by name, for /readyz: running, and no round hung. */
  liveness: Record<string, { alive(): boolean }>;
  /** Stops every loop and waits for each round in progress; only then may the store close. */
  stop(): Promise<void>;
}

export interface BackgroundLoopOptions {
  withWorker: boolean;
  log: (message: string, fields?: Record<string, unknown>) => void;
  onError: (what: string, error: unknown) => void;
  /** Shorter intervals, for tests. */
  intervalsMs?: {
    embargo?: number;
    clock?: number;
    outbox?: number;
    workerPoll?: number;
    reminders?: number;
  };
}

/**
 * Starts the dispatch worker (optional), the publication outbox, the embargo release and the
 * legal-clock alerts on one context. Every loop's stop handle is kept: a loop still running
 * when `serve` closes the database would query a closed store.
 */
export async function startBackgroundLoops(
  ctx: AppContext,
  transport: EmailTransport,
  options: BackgroundLoopOptions,
): Promise<BackgroundLoops> {
  const intervals = options.intervalsMs ?? {};
  const worker = options.withWorker
    ? createWorker(
        ctx,
        transport,
        options.log,
        intervals.workerPoll ? { pollMs: intervals.workerPoll } : {},
      )
    : null;
  await worker?.start();
  const outbox = new PublicationOutboxLoop(
    { ...ctx.deps, allowHosts: ctx.config.webhooks.allowHosts, transport },
    { log: options.log, pollMs: intervals.outbox },
  );
  outbox.start();
  // Replies to customer questions, claimed per row so several processes send each once.
  const replies = new QuestionReplyLoop(
    { ...ctx.deps, transport, timeZone: ctx.config.workspace.defaultTimeZone },
    { log: options.log, pollMs: intervals.outbox },
  );
  replies.start();
  // Staged disclosure: embargoes whose date passed or whose case was resolved go public.
  const embargo = startEmbargoScheduler(ctx.deps, {
    intervalMs: intervals.embargo,
    onError: (error) => options.onError('embargo release failed', error),
  });
  // Legal-clock alerts to the case team at 50 %, 90 % and overdue (each sent once).
  const clock = startClockAlerts(
    { database: ctx.database, transport, publicUrl: ctx.config.publicUrl },
    {
      intervalMs: intervals.clock,
      onError: (error) => options.onError('clock alerts failed', error),
    },
  );
  // Reminder rules: follow-up notices to those not done, when due (each run sent once).
  const reminders = startReminderChecker(ctx.deps, {
    intervalMs: intervals.reminders,
    onError: (error) => options.onError('reminder check failed', error),
    onSent: (result) => {
      options.log('reminder queued', { ...result });
      worker?.nudge();
    },
  });
  return {
    worker,
    liveness: {
      outbox: { alive: () => outbox.alive() },
      embargoes: { alive: () => embargo.alive() },
      clockAlerts: { alive: () => clock.alive() },
      reminders: { alive: () => reminders.alive() },
      questionReplies: { alive: () => replies.alive() },
    },
    async stop() {
      const stops: Promise<void>[] = [
        outbox.stop(),
        replies.stop(),
        embargo.stop(),
        clock.stop(),
        reminders.stop(),
      ];
      if (worker) stops.push(worker.stop());
      const failed = (await Promise.allSettled(stops)).filter((r) => r.status === 'rejected');
      for (const f of failed) options.onError('stopping a loop failed', f.reason);
    },
  };
}
