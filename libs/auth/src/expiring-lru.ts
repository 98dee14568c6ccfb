interface Entry<V> {
  readonly value: V;
  /** Epoch ms after which the entry is gone. */
  readonly expiresAt: number;
}

/**
 * A bounded map of verified credentials (whole token or key → principal): least recently used entries are evicted
 * past `capacity`, and an entry is never returned at or after its own `expiresAt` (a token's `exp`). A hit costs one
 * hash lookup plus a delete/insert to mark it recently used: about a microsecond for a 1 KB token.
 */
export class ExpiringLru<V> {
  private readonly entries = new Map<string, Entry<V>>();
  /**
   * The key inserted last, i.e. the most recently used one (or one deleted since). A hit on it needs no move: moving
   * an entry is a delete and an insert, and V8 rebuilds a Map's table once deletions fill it, so a client sending
   * request after request with one token made a new table every few requests (a top item of what survived
   * scavenges in every app's heap profile; docs/benchmarks.md §8).
   */
  private last: string | undefined;

  constructor(private readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('capacity must be at least 1');
  }

  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    if (key !== this.last) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.last = key;
    }
    return entry.value;
  }

  set(key: string, value: V, expiresAt: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    this.last = key;
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
