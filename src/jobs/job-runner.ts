import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Database } from '../store/database.js';
import { acquireJobLease, releaseJobLease } from '../store/job-lease.repository.js';

/**
 * The one mechanism behind Candor's scheduled work (embargo release, clock alerts, reminders,
 * the publication outbox, question replies): each job is a round function run every so often,
 * never two rounds of a job at once in a process, slower after failures, and stopped (with the
 * round in progress awaited) before the store closes.
 *
 * Why not graphile-worker or pg-boss: both are PostgreSQL-only, and Candor's default is SQLite.
 * A lease row per job (`job_leases`, one upsert per round) gives the once-across-processes rule
 * on both engines; the per-recipient work queue is the delivery table's own claim pattern.
 */
export interface JobDefinition {
  /** Unique, stable: the lease row's key and the name /readyz and the logs show. */
  name: string;
  /** Pause between rounds when the last one went well. */
  everyMs: number;
  /**
   * Exclusive jobs run a round in one process at a time (a database lease); the others are
   * rounds every process may run side by side because they claim their rows one by one.
   */
  exclusive: boolean;
  /** One round. A throw counts as a failed round: logged, and the next one waits longer. */
  run(): Promise<void>;
}

/** Where exclusive rounds are leased. */
export interface JobLeases {
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}

/** Leases in the `job_leases` table of the store. */
export function databaseLeases(database: Database, now: () => number = Date.now): JobLeases {
  return {
    acquire: (name, holder, ttlMs) =>
      acquireJobLease(database.db, { name, holder, now: now(), until: now() + ttlMs }),
    release: (name, holder) => releaseJobLease(database.db, { name, holder, now: now() }),
  };
}

export interface JobRunnerOptions {
  leases: JobLeases;
  onError: (job: string, error: unknown) => void;
  /**
   * How long an exclusive round's lease lasts. A process that dies mid-round holds the job
   * this long; a round longer than this may overlap the next process's round, which every
   * job tolerates (each sends what it claims or marks once), at a cost in time only.
   */
  leaseMs?: number;
  /** A round running longer than this makes the job count as hung for /readyz. */
  stuckMs?: number;
  /** Upper bound of the wait after failed rounds (the wait doubles per failure). */
  maxBackoffMs?: number;
}

interface JobState {
  definition: JobDefinition;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  roundStartedAt: number;
  failures: number;
}

/** Runs registered jobs on timers; see the file comment. */
export class JobRunner {
  /** This process, as lease holder: host, pid and a random part (pids repeat across hosts). */
  readonly holder = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly jobs = new Map<string, JobState>();
  private started = false;
  private stopped = false;

  constructor(private readonly options: JobRunnerOptions) {}

  /** Adds a job; it starts with the runner (or at once, when the runner runs already). */
  add(definition: JobDefinition): this {
    if (this.jobs.has(definition.name)) throw new Error(`job ${definition.name} added twice`);
    const state: JobState = {
      definition,
      timer: null,
      running: null,
      roundStartedAt: 0,
      failures: 0,
    };
    this.jobs.set(definition.name, state);
    if (this.started && !this.stopped) this.kick(state);
    return this;
  }

  /** Starts every job: its first round begins now, before this returns. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const state of this.jobs.values()) this.kick(state);
  }

  /** Per job, for /readyz: started, not stopped, and no round hung. */
  liveness(): Record<string, { alive(now?: number): boolean }> {
    const stuckMs = this.options.stuckMs ?? 15 * 60_000;
    return Object.fromEntries(
      [...this.jobs.entries()].map(([name, state]) => [
        name,
        {
          alive: (now = Date.now()) =>
            this.started &&
            !this.stopped &&
            (!state.running || now - state.roundStartedAt < stuckMs),
        },
      ]),
    );
  }

  /** Stops the timers and waits for every round in progress; only then may the store close. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const state of this.jobs.values()) {
      if (state.timer) clearTimeout(state.timer);
      state.timer = null;
    }
    await Promise.allSettled([...this.jobs.values()].flatMap((s) => s.running ?? []));
  }

  /** A round now, then the next one after the job's pause. */
  private kick(state: JobState): void {
    void this.round(state).finally(() => this.schedule(state, this.pause(state)));
  }

  private schedule(state: JobState, delayMs: number): void {
    if (this.stopped) return;
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = null;
      this.kick(state);
    }, delayMs);
    // The jobs never keep a process alive on their own: serve's HTTP server does.
    state.timer.unref();
  }

  /** The wait after a round: the job's own pause, doubled per failure in a row, bounded. */
  private pause(state: JobState): number {
    const { everyMs } = state.definition;
    if (state.failures === 0) return everyMs;
    const max = Math.max(this.options.maxBackoffMs ?? 5 * 60_000, everyMs);
    return Math.min(everyMs * 2 ** state.failures, max);
  }

  private round(state: JobState): Promise<void> {
    if (state.running) return state.running;
    if (this.stopped) return Promise.resolve();
    state.roundStartedAt = Date.now();
    state.running = this.leasedRound(state.definition)
      .then(
        () => {
          state.failures = 0;
        },
        (error: unknown) => {
          state.failures += 1;
          this.options.onError(state.definition.name, error);
        },
      )
      .finally(() => {
        state.running = null;
      });
    return state.running;
  }

  private async leasedRound(job: JobDefinition): Promise<void> {
    if (!job.exclusive) return job.run();
    const { leases } = this.options;
    const leaseMs = this.options.leaseMs ?? Math.max(2 * 60_000, 3 * job.everyMs);
    if (!(await leases.acquire(job.name, this.holder, leaseMs))) return;
    try {
      await job.run();
    } finally {
      await leases.release(job.name, this.holder);
    }
  }
}
