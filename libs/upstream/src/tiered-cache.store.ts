import type { CachedResponse, ResponseCacheStore } from './cache.store';

/**
 * Memory in front of a shared store (Redis): a hit in memory costs no round trip; a miss asks the shared store and
 * keeps what it finds; every write goes to both. When the shared store is down (its calls answer misses), the
 * gateway keeps caching — and serving stale copies — from memory alone.
 */
export class TieredCacheStore implements ResponseCacheStore {
  constructor(
    private readonly local: ResponseCacheStore,
    private readonly shared: ResponseCacheStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** A fresh local copy; else the shared copy when it is newer (another instance refreshed it); else the local one. */
  async get(key: string): Promise<CachedResponse | undefined> {
    const local = await this.local.get(key);
    if (local !== undefined && local.freshUntil > this.now()) return local;
    const shared = await this.shared.get(key);
    if (shared === undefined || (local !== undefined && shared.freshUntil <= local.freshUntil)) return local;
    await this.local.set(key, shared);
    return shared;
  }

  async set(key: string, entry: CachedResponse): Promise<void> {
    await Promise.all([this.local.set(key, entry), this.shared.set(key, entry)]);
  }

  async close(): Promise<void> {
    await Promise.all([this.local.close?.(), this.shared.close?.()]);
  }
}
