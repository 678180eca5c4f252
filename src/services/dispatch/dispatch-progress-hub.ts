import type { DispatchProgress } from './dispatch.service.js';

/**
 * Shares one poll of a dispatch's progress among every browser that watches it: a hundred
 * people with the dispatch tab open cost the store one count every half second, not a
 * hundred. The poll starts with the first listener and stops with the last, or when the
 * dispatch is finished (completed or cancelled), after telling every listener.
 */

/** What a listener hears: a new state, the last state (then nothing more), or a failure. */
export type ProgressEvent =
  | { kind: 'progress'; progress: DispatchProgress }
  | { kind: 'finished'; progress: DispatchProgress }
  | { kind: 'error'; message: string };

export type ProgressListener = (event: ProgressEvent) => void;

/** States after which the counts no longer change. */
export function isFinished(progress: DispatchProgress): boolean {
  return progress.state === 'completed' || progress.state === 'cancelled';
}

interface Poll {
  listeners: Set<ProgressListener>;
  timer: NodeJS.Timeout | null;
  last: DispatchProgress | null;
  lastJson: string;
  stopped: boolean;
}

export interface ProgressHubOptions {
  /** Reads the current progress (the caller has authorized the watchers). */
  read: (dispatchId: number) => Promise<DispatchProgress>;
  /** Time between two reads of one dispatch. */
  intervalMs?: number;
}

export class DispatchProgressHub {
  readonly #polls = new Map<number, Poll>();
  readonly #read: ProgressHubOptions['read'];
  readonly #intervalMs: number;
  /** Reads made so far (the tests check that watchers share them). */
  reads = 0;

  constructor(options: ProgressHubOptions) {
    this.#read = options.read;
    this.#intervalMs = options.intervalMs ?? 500;
  }

  /** Starts listening; returns the function that stops. A newcomer hears the last state at once. */
  subscribe(dispatchId: number, listener: ProgressListener): () => void {
    let poll = this.#polls.get(dispatchId);
    if (!poll) {
      poll = { listeners: new Set(), timer: null, last: null, lastJson: '', stopped: false };
      this.#polls.set(dispatchId, poll);
      poll.listeners.add(listener);
      void this.#tick(dispatchId, poll);
    } else {
      poll.listeners.add(listener);
      if (poll.last) listener({ kind: 'progress', progress: poll.last });
    }
    const current = poll;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0) this.#stop(dispatchId, current);
    };
  }

  /** How many dispatches are being polled now. */
  get activePolls(): number {
    return this.#polls.size;
  }

  /** Stops every poll and tells every listener that nothing more comes (server shutdown). */
  close(): void {
    for (const [id, poll] of this.#polls) {
      const listeners = [...poll.listeners];
      this.#stop(id, poll);
      for (const l of listeners) l({ kind: 'error', message: 'the server is shutting down' });
    }
  }

  #stop(dispatchId: number, poll: Poll): void {
    poll.stopped = true;
    poll.listeners.clear();
    if (poll.timer) clearTimeout(poll.timer);
    if (this.#polls.get(dispatchId) === poll) this.#polls.delete(dispatchId);
  }

  async #tick(dispatchId: number, poll: Poll): Promise<void> {
    poll.timer = null;
    let progress: DispatchProgress;
    try {
      this.reads += 1;
      progress = await this.#read(dispatchId);
    } catch (error) {
      if (poll.stopped) return;
      const listeners = [...poll.listeners];
      this.#stop(dispatchId, poll);
      const message = error instanceof Error ? error.message : String(error);
      for (const l of listeners) l({ kind: 'error', message });
      return;
    }
    if (poll.stopped) return;
    poll.last = progress;
    if (isFinished(progress)) {
      const listeners = [...poll.listeners];
      this.#stop(dispatchId, poll);
      for (const l of listeners) l({ kind: 'finished', progress });
      return;
    }
    const json = JSON.stringify(progress);
    if (json !== poll.lastJson) {
      poll.lastJson = json;
      for (const l of [...poll.listeners]) l({ kind: 'progress', progress });
    }
    poll.timer = setTimeout(() => void this.#tick(dispatchId, poll), this.#intervalMs);
    poll.timer.unref?.();
  }
}
