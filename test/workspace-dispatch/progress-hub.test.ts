import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DispatchProgress } from '../../src/services/dispatch/dispatch.service.js';
import {
  DispatchProgressHub,
  type ProgressEvent,
} from '../../src/services/dispatch/dispatch-progress-hub.js';

function progress(
  id: number,
  sent: number,
  total = 3,
  state: DispatchProgress['state'] = 'running',
): DispatchProgress {
  return {
    id,
    noticeId: 1,
    caseId: 1,
    state,
    total,
    counts: {
      queued: total - sent,
      sending: 0,
      sent,
      deferred: 0,
      bounced: 0,
      failed: 0,
      cancelled: 0,
    },
    done: sent,
    rate: 0,
    etaSeconds: null,
    createdAt: '2026-11-27T10:00:00.000Z',
    finishedAt: null,
    deferral: null,
  };
}

// The hub polls with setTimeout: fake timers move its clock, so each step below is exact (a
// read at 0, one per interval after it) and nothing depends on how busy the machine is.
// advanceTimersByTimeAsync also settles the read promises between the timers it fires.
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

describe('dispatch progress hub', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shares one poll among listeners, sends only changes, and ends when the dispatch finishes', async () => {
    let sent = 0;
    const hub = new DispatchProgressHub({
      read: async (id) => progress(id, sent, 3, sent >= 3 ? 'completed' : 'running'),
      intervalMs: 20,
    });
    const a: ProgressEvent[] = [];
    const b: ProgressEvent[] = [];
    hub.subscribe(7, (e) => a.push(e));
    await advance(5);
    expect(hub.reads).toBe(1);
    hub.subscribe(7, (e) => b.push(e));
    // The newcomer hears the last state at once, without a read of its own.
    expect(b).toHaveLength(1);
    expect(hub.reads).toBe(1);
    expect(hub.activePolls).toBe(1);
    await advance(80);
    // Unchanged progress is not repeated; reads happen once per interval (at 0, 20, 40, 60
    // and 80 ms), not per listener.
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(hub.reads).toBe(5);
    sent = 2;
    await advance(50);
    expect(a.at(-1)).toMatchObject({ kind: 'progress', progress: { done: 2 } });
    expect(b.at(-1)).toMatchObject({ kind: 'progress', progress: { done: 2 } });
    sent = 3;
    await advance(50);
    expect(a.at(-1)).toMatchObject({ kind: 'finished', progress: { state: 'completed' } });
    expect(b.at(-1)).toMatchObject({ kind: 'finished' });
    expect(hub.activePolls).toBe(0);
    const after = hub.reads;
    await advance(60);
    expect(hub.reads).toBe(after);
  });

  it('stops polling when the last listener leaves', async () => {
    const hub = new DispatchProgressHub({ read: async (id) => progress(id, 1), intervalMs: 10 });
    const stopA = hub.subscribe(1, () => undefined);
    const stopB = hub.subscribe(1, () => undefined);
    await advance(30);
    stopA();
    expect(hub.activePolls).toBe(1);
    const reads = hub.reads;
    // The other listener keeps the poll going…
    await advance(20);
    expect(hub.reads).toBe(reads + 2);
    stopB();
    expect(hub.activePolls).toBe(0);
    // …and once it leaves too, no read follows.
    const last = hub.reads;
    await advance(40);
    expect(hub.reads).toBe(last);
  });

  it('tells listeners about a failed read and about shutdown', async () => {
    const failing = new DispatchProgressHub({
      read: async () => {
        throw new Error('no dispatch 9');
      },
    });
    const events: ProgressEvent[] = [];
    failing.subscribe(9, (e) => events.push(e));
    await advance(10);
    expect(events).toEqual([{ kind: 'error', message: 'no dispatch 9' }]);
    expect(failing.activePolls).toBe(0);

    const hub = new DispatchProgressHub({ read: async (id) => progress(id, 0), intervalMs: 10 });
    const heard: ProgressEvent[] = [];
    hub.subscribe(2, (e) => heard.push(e));
    await advance(15);
    expect(heard).toEqual([{ kind: 'progress', progress: progress(2, 0) }]);
    hub.close();
    expect(heard.at(-1)).toEqual({ kind: 'error', message: 'the server is shutting down' });
    expect(hub.activePolls).toBe(0);
    // Nothing is read after the shutdown.
    const reads = hub.reads;
    await advance(50);
    expect(hub.reads).toBe(reads);
  });
});
