import type { EmailTransport } from '../channels/email/email-transport.js';
import type { DispatchWorker } from '../dispatch/dispatch-worker.js';
import { createWorker } from '../dispatch/worker-wiring.js';
import { systemActor } from '../domain/access.js';
import { runClockAlerts } from '../services/assessment/clock-alert.service.js';
import { releaseDueEmbargoes } from '../services/publication/embargo-release.service.js';
import { runPublicationOutboxRound } from '../services/publication/publication-outbox.service.js';
import { runDueReminders } from '../services/remedies/reminder.service.js';
import { runQuestionReplyRound } from '../services/recipients/question-reply-sender.service.js';
import type { AppContext } from '../wiring.js';
import { databaseLeases, JobRunner } from './job-runner.js';

/** The loops of a `serve` / `demo` process, and the one way to stop them all. */
export interface BackgroundLoops {
  /** The dispatch worker, when this process runs one (nudged when a dispatch starts). */
  worker: DispatchWorker | null;
  /** The scheduled jobs (outbox, question replies, embargoes, clock alerts, reminders). */
  jobs: JobRunner;
  /** Each job and the worker by name, for /readyz: running, and no round hung. */
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
 * Starts the dispatch worker (optional) and the scheduled jobs on one job runner: the
 * publication outbox and question replies (every process, rows claimed one by one), embargo
 * release, legal-clock alerts and reminders (one process at a time, by lease). `stop()` stops
 * them all and waits: a round still running when `serve` closes the database would query a
 * closed store.
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
  const jobs = new JobRunner({
    leases: databaseLeases(ctx.database),
    onError: (job, error) => options.onError(`${job} round failed`, error),
  });
  const outboxDeps = { ...ctx.deps, allowHosts: ctx.config.webhooks.allowHosts, transport };
  const replyDeps = { ...ctx.deps, transport, timeZone: ctx.config.workspace.defaultTimeZone };
  const clockDeps = { database: ctx.database, transport, publicUrl: ctx.config.publicUrl };
  const reminderActor = systemActor('reminders');
  jobs
    .add({
      name: 'outbox',
      everyMs: intervals.outbox ?? 2_000,
      exclusive: false,
      run: () => runPublicationOutboxRound(outboxDeps, jobs.holder),
    })
    .add({
      // Staged disclosure: embargoes whose date passed or whose case was resolved go public.
      name: 'embargoes',
      everyMs: intervals.embargo ?? 5_000,
      exclusive: true,
      run: () => releaseDueEmbargoes(ctx.deps).then(() => undefined),
    })
    .add({
      // Legal-clock alerts to the case team at 50 %, 90 % and overdue (each sent once).
      name: 'clockAlerts',
      everyMs: intervals.clock ?? 60_000,
      exclusive: true,
      run: () => runClockAlerts(clockDeps, new Date()).then(() => undefined),
    })
    .add({
      // Reminder rules: follow-up notices to those not done, when due (each run sent once).
      name: 'reminders',
      everyMs: intervals.reminders ?? 60_000,
      exclusive: true,
      run: async () => {
        for (const result of await runDueReminders(reminderActor, ctx.deps)) {
          if (result.outcome !== 'sent') continue;
          options.log('reminder queued', { ...result });
          worker?.nudge();
        }
      },
    })
    .add({
      // Replies to customer questions.
      name: 'questionReplies',
      everyMs: intervals.outbox ?? 2_000,
      exclusive: false,
      run: () => runQuestionReplyRound(replyDeps, jobs.holder),
    });
  jobs.start();
  return {
    worker,
    jobs,
    liveness: jobs.liveness(),
    async stop() {
      const stops: Promise<void>[] = [jobs.stop()];
      if (worker) stops.push(worker.stop());
      const failed = (await Promise.allSettled(stops)).filter((r) => r.status === 'rejected');
      for (const f of failed) options.onError('stopping a loop failed', f.reason);
    },
  };
}
