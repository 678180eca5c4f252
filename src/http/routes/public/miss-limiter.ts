/** How many wrong tokens a client may try, and per how long. */
export interface MissLimit {
  misses: number;
  windowMs: number;
  /** Clients remembered at most; beyond it the oldest are forgotten first. */
  maxClients?: number;
}

/** The default: 20 wrong links per 10 minutes per client IP. */
export const DEFAULT_MISS_LIMIT: MissLimit = { misses: 20, windowMs: 10 * 60_000 };

/**
 * Counts wrong personal-page tokens per client IP in a fixed window that starts at the
 * client's first miss; at the limit the client gets 429 until the window ends. A 256-bit
 * token cannot be guessed anyway; this keeps scanners from hammering the database and makes
 * them visible. It lives in this process's memory: with several `candor serve` processes
 * (PostgreSQL deployments) each counts on its own, so the effective limit is per process.
 */
export class MissLimiter {
  private readonly clients = new Map<string, { misses: number; resetAt: number }>();
  private readonly maxClients: number;

  constructor(
    private readonly limit: MissLimit = DEFAULT_MISS_LIMIT,
    private readonly now: () => number = Date.now,
  ) {
    this.maxClients = limit.maxClients ?? 100_000;
  }

  /** Seconds the client must wait before trying again; 0 when it may go ahead. */
  retryAfter(client: string): number {
    const entry = this.clients.get(client);
    if (!entry) return 0;
    const left = entry.resetAt - this.now();
    if (left <= 0) {
      this.clients.delete(client);
      return 0;
    }
    return entry.misses >= this.limit.misses ? Math.ceil(left / 1000) : 0;
  }

  /** Counts one wrong token. */
  recordMiss(client: string): void {
    const now = this.now();
    const entry = this.clients.get(client);
    if (entry && entry.resetAt > now) {
      entry.misses++;
      return;
    }
    this.clients.delete(client);
    if (this.clients.size >= this.maxClients) this.evict(now);
    this.clients.set(client, { misses: 1, resetAt: now + this.limit.windowMs });
  }

  /**
   * Every window has the same length and an entry is (re)inserted when its window starts, so
   * the Map's insertion order is expiry order: drop from the front while expired, then, if
   * still full, the oldest. Amortised O(1), even under a flood of new addresses.
   */
  private evict(now: number): void {
    for (const [client, entry] of this.clients) {
      if (entry.resetAt > now) break;
      this.clients.delete(client);
    }
    if (this.clients.size >= this.maxClients) {
      this.clients.delete(this.clients.keys().next().value!);
    }
  }
}
