import type { RedisConnection } from '@frontdoor/redis';

/** The first answer to a key, replayed to every retry with the same key and body. */
export interface StoredAnswer {
  readonly status: number;
  readonly body: unknown;
  /** The headers the handler set on it (`Cache-Control`, `Location`, a pass-through row's upstream headers…); absent in records written before they were kept. */
  readonly headers?: Readonly<Record<string, string | number | string[]>>;
}

export type BeginOutcome =
  | { readonly kind: 'started' }
  | { readonly kind: 'replay'; readonly answer: StoredAnswer }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in-progress' };

/**
 * Idempotency records: `begin` claims a key atomically (one winner among concurrent duplicates), `complete` stores
 * the answer, `abandon` frees the key when the first attempt failed so that a retry can run.
 */
export interface IdempotencyStore {
  /** `pendingTtlMs`: how long the claim holds without an answer (its owner may die mid-request). */
  begin(key: string, fingerprint: string, pendingTtlMs: number): Promise<BeginOutcome>;
  complete(key: string, fingerprint: string, answer: StoredAnswer, ttlMs: number): Promise<void>;
  abandon(key: string): Promise<void>;
}

interface Entry {
  readonly fingerprint: string;
  readonly answer?: StoredAnswer;
  readonly expiresAt: number;
}

function outcomeOf(entry: Entry, fingerprint: string): BeginOutcome {
  if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
  return entry.answer ? { kind: 'replay', answer: entry.answer } : { kind: 'in-progress' };
}

/**
 * In-process records, bounded by their TTL (swept periodically) and by `maxEntries`: when that many records are
 * live, a new key is refused (→ 503 "retry later") rather than admitted past the bound or evicting a live record —
 * dropping one would let its retry place a second order. Without the bound, keys held for 24 h grow the heap
 * without limit (the soak measured ~1.2 KB per record). Production keeps records in Redis (`REDIS_URL`).
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper = setInterval(() => this.sweep(Date.now()), 30_000);
  private sweptAt = 0;

  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper.unref();
  }

  /** @throws Error when `maxEntries` records are live (the caller answers 503) */
  async begin(key: string, fingerprint: string, ttlMs: number): Promise<BeginOutcome> {
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) return outcomeOf(entry, fingerprint);
    if (!entry && this.entries.size >= this.maxEntries) {
      // a full sweep is O(records): at most once a second, not on every refused key
      if (now - this.sweptAt >= 1000) this.sweep(now);
      if (this.entries.size >= this.maxEntries) throw new Error(`${this.maxEntries} idempotency records are live: no room for a new key`);
    }
    this.entries.set(key, { fingerprint, expiresAt: now + ttlMs });
    return { kind: 'started' };
  }

  async complete(key: string, fingerprint: string, answer: StoredAnswer, ttlMs: number): Promise<void> {
    this.entries.set(key, { fingerprint, answer, expiresAt: this.now() + ttlMs });
  }

  async abandon(key: string): Promise<void> {
    this.entries.delete(key);
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}

/**
 * Shared records in Redis: `SET key value NX PX ttl` claims a key in one atomic step, so concurrent duplicates
 * on different instances create one order. Errors propagate: without the shared store the gateway cannot promise
 * idempotency, so the caller answers 503 rather than risk a duplicate.
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  async begin(key: string, fingerprint: string, ttlMs: number): Promise<BeginOutcome> {
    const claimed = await this.redis.client.set(this.prefix + key, JSON.stringify({ fingerprint }), 'PX', ttlMs, 'NX');
    if (claimed === 'OK') return { kind: 'started' };
    const raw = await this.redis.client.get(this.prefix + key);
    if (raw === null) return this.begin(key, fingerprint, ttlMs); // expired in between: claim again
    return outcomeOf({ ...(JSON.parse(raw) as Entry), expiresAt: Infinity }, fingerprint);
  }

  async complete(key: string, fingerprint: string, answer: StoredAnswer, ttlMs: number): Promise<void> {
    await this.redis.client.set(this.prefix + key, JSON.stringify({ fingerprint, answer }), 'PX', ttlMs);
  }

  async abandon(key: string): Promise<void> {
    await this.redis.client.del(this.prefix + key);
  }
}
