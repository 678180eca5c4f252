/**
 * The renderers a worker keeps, by dispatch id: a dispatch's notice is compiled once, not per
 * batch. Bounded, because a long-running worker sees dispatch after dispatch: least recently
 * used first out at `capacity`, a finished dispatch dropped at once, a failed build never kept
 * (the next batch tries again, e.g. after the notice was fixed).
 */
export class RendererCache<T> {
  // A Map iterates in insertion order; re-inserting on use makes the first key the LRU one.
  private readonly entries = new Map<number, Promise<T>>();

  constructor(private readonly capacity = 8) {}

  /** The cached renderer of a dispatch, or the one `build` makes (kept unless it fails). */
  get(dispatchId: number, build: (dispatchId: number) => Promise<T>): Promise<T> {
    let entry = this.entries.get(dispatchId);
    if (entry) {
      this.entries.delete(dispatchId);
    } else {
      entry = build(dispatchId);
      entry.catch(() => {
        if (this.entries.get(dispatchId) === entry) this.entries.delete(dispatchId);
      });
    }
    this.entries.set(dispatchId, entry);
    while (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    return entry;
  }

  /** Drops a dispatch's renderer (it completed, or was cancelled). */
  delete(dispatchId: number): void {
    this.entries.delete(dispatchId);
  }

  /** Drops every renderer but those of `dispatchIds` (the dispatches still running). */
  retainOnly(dispatchIds: readonly number[]): void {
    const keep = new Set(dispatchIds);
    for (const id of [...this.entries.keys()]) if (!keep.has(id)) this.entries.delete(id);
  }

  /** The dispatch ids held, least recently used first. */
  keys(): number[] {
    return [...this.entries.keys()];
  }
}
