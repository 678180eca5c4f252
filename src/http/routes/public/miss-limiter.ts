import { clientBucket } from '../../../domain/client-bucket.js';
import type { Database } from '../../../store/database.js';
import { countMiss, deleteMissWindowsBefore } from '../../../store/miss-count.repository.js';

/** How many wrong tokens a client may try, and per how long. */
export interface MissLimit {
  misses: number;
  windowMs: number;
  /** Blocked clients this process remembers at most; beyond it the oldest are forgotten. */
  maxClients?: number;
}

/** The default: 20 wrong links per 10 minutes per client address. */
export const DEFAULT_MISS_LIMIT: MissLimit = { misses: 20, windowMs: 10 * 60_000 };

/**
 * Counts wrong tokens (personal-page links, verification codes, subscription links) per
 * client address bucket (see clientBucket) in a window that starts at the client's first
 * miss; at the limit the client gets 429 until its window ends. A 256-bit token cannot be guessed anyway; this keeps scanners
 * from hammering the database and makes them visible.
 *
 * The counts are in the database (`miss_counts`), so every `candor serve` process behind a
 * load balancer adds to the same count. Only a miss writes (one upsert); the check on every
 * request reads this process's memory of blocked clients, which a process learns from the
 * count its own upsert returns. So with N servers a client gets at most the limit plus one
 * miss per other server per window (the miss that tells that server), not N × the limit.
 */
export class MissLimiter {
  /** Client bucket → end of the window it is blocked in (epoch ms); in expiry order. */
  private readonly blocked = new Map<string, number>();
  private readonly maxClients: number;
  private prunedAt = 0;

  constructor(
    private readonly database: Database,
    /** Which limiter: each counts apart (personal page, verify, subscriptions). */
    private readonly scope: string,
    private readonly limit: MissLimit = DEFAULT_MISS_LIMIT,
    private readonly now: () => number = Date.now,
  ) {
    this.maxClients = limit.maxClients ?? 100_000;
  }

  /** Seconds the client must wait before trying again; 0 when it may go ahead. No I/O. */
  retryAfter(client: string): number {
    const bucket = clientBucket(client);
    const until = this.blocked.get(bucket);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left <= 0) {
      this.blocked.delete(bucket);
      return 0;
    }
    return Math.ceil(left / 1000);
  }

  /** Counts one wrong token in the shared count; blocks the client here at the limit. */
  async recordMiss(client: string): Promise<void> {
    const now = this.now();
    const bucket = clientBucket(client);
    const { windowMs } = this.limit;
    const { misses, windowStart } = await countMiss(
      this.database.db,
      { scope: this.scope, client: bucket },
      { now, windowMs },
    );
    if (misses >= this.limit.misses) this.block(bucket, windowStart + windowMs, now);
    // Ended windows are dead weight: whoever counts a miss clears them, at most once a window.
    if (now - this.prunedAt >= windowMs) {
      this.prunedAt = now;
      await deleteMissWindowsBefore(this.database.db, this.scope, now - windowMs);
    }
  }

  /**
   * Blocks are (re)inserted when they start and all last about one window, so the Map's
   * insertion order is roughly expiry order: drop expired entries from the front, then, if
   * still full, the oldest. Amortised O(1), even under a flood of new addresses.
   */
  private block(bucket: string, until: number, now: number): void {
    this.blocked.delete(bucket);
    if (this.blocked.size >= this.maxClients) {
      for (const [key, end] of this.blocked) {
        if (end > now) break;
        this.blocked.delete(key);
      }
      if (this.blocked.size >= this.maxClients) {
        this.blocked.delete(this.blocked.keys().next().value!);
      }
    }
    this.blocked.set(bucket, until);
  }
}
