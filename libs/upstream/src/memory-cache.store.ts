import type { CachedResponse, ResponseCacheStore } from './cache.store';

/**
 * An in-process LRU of cached answers, bounded by entry count and by body bytes (the least recently used go first;
 * an answer larger than a quarter of the byte bound is never kept). Expired copies are dropped when met. O(1) per
 * operation (a `Map` keeps insertion order; a hit is re-inserted at the end).
 */
export class MemoryCacheStore implements ResponseCacheStore {
  private readonly entries = new Map<string, CachedResponse>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.staleUntil <= this.now()) {
      this.bytes -= entry.body.length;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: CachedResponse): void {
    this.delete(key);
    if (this.maxEntries === 0 || entry.body.length > this.maxBytes / 4) return;
    this.entries.set(key, entry);
    this.bytes += entry.body.length;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      this.delete(this.entries.keys().next().value as string);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** The body bytes of the copies held (what `maxBytes` bounds). */
  get bodyBytes(): number {
    return this.bytes;
  }

  private delete(key: string): void {
    const old = this.entries.get(key);
    if (old === undefined) return;
    this.entries.delete(key);
    this.bytes -= old.body.length;
  }
}
