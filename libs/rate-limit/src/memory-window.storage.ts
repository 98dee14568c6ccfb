import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';

interface Window {
  hits: number;
  expiresAt: number;
}

/**
 * In-process fixed-window counters: O(1) per decision whatever the number of hits (the throttler's default
 * storage keeps one timestamp per hit and scans them: PITFALLS, +80 µs to +2.7 ms per request). Bounded: expired
 * windows are swept every few seconds, and past `maxKeys` the oldest window is dropped, so memory does not grow
 * with distinct keys. A blocked key stays blocked until its window ends (blockDuration = the window).
 */
export class MemoryWindowStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly maxKeys = 100_000,
    sweepEveryMs = 5_000,
  ) {
    this.sweeper = setInterval(() => this.sweep(Date.now()), sweepEveryMs);
    this.sweeper.unref();
  }

  get size(): number {
    return this.windows.size;
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    return this.hit(key, ttl, limit, Date.now());
  }

  /** Synchronous core, also used by the failover storage when Redis is down. */
  hit(key: string, ttlMs: number, limit: number, now: number): ThrottlerStorageRecord {
    let window = this.windows.get(key);
    if (window === undefined || window.expiresAt <= now) {
      if (window !== undefined) this.windows.delete(key);
      else if (this.windows.size >= this.maxKeys) this.evict(now);
      window = { hits: 0, expiresAt: now + ttlMs };
      this.windows.set(key, window);
    }
    window.hits += 1;
    const timeToExpire = Math.max(1, Math.ceil((window.expiresAt - now) / 1000));
    const isBlocked = window.hits > limit;
    return { totalHits: window.hits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
  }

  private evict(now: number): void {
    this.sweep(now);
    if (this.windows.size < this.maxKeys) return;
    const oldest = this.windows.keys().next();
    if (!oldest.done) this.windows.delete(oldest.value);
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.expiresAt <= now) this.windows.delete(key);
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
