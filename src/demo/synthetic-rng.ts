/**
 * The random source of the synthetic customer generator. Math.random cannot be seeded,
 * and the demo, tests and benchmarks need the same customers every run.
 */

/** Mulberry32, reseeded per customer from (seed, index). Tiny, fast, good enough for fakes. */
export class Rng {
  private state = 0;

  /** Start the stream for one customer; same (seed, index), same customer. */
  reseed(seed: number, index: number): void {
    // Murmur3's finaliser scatters neighbouring indexes over the whole 2^32 cycle, so
    // customer i+1 does not replay customer i's stream shifted by one draw.
    let h = (seed ^ Math.imul(index, 0x9e3779b1)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    this.state = (h ^ (h >>> 16)) | 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
}
