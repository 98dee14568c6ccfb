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
  | { readonly kind: 'in-progress' }
  /** The owner holds its whole share of live records: a new key of its own waits until one of them frees. */
  | { readonly kind: 'owner-full'; readonly retryAfterMs: number };

/**
 * Idempotency records of an owner (the principal whose keys they are: `partner:acme`, `user:alice`): `begin`
 * claims a key atomically (one winner among concurrent duplicates), `complete` stores the answer, `abandon`
 * frees the key when the first attempt failed so that a retry can run. Keys of different owners never meet.
 */
export interface IdempotencyStore {
  /** `pendingTtlMs`: how long the claim holds without an answer (its owner may die mid-request). */
  begin(owner: string, key: string, fingerprint: string, pendingTtlMs: number): Promise<BeginOutcome>;
  complete(owner: string, key: string, fingerprint: string, answer: StoredAnswer, ttlMs: number): Promise<void>;
  abandon(owner: string, key: string): Promise<void>;
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

/** The bounds of the in-process records (`IdempotencyModule.forRoot({ memory })`). */
export interface MemoryIdempotencyLimits {
  /** Live records of all owners: the memory ceiling (default 100,000: ~120 MiB of heap at ~1.2 KB each). */
  readonly maxEntries?: number;
  /**
   * Live records of one owner (default a tenth of `maxEntries`: 10,000, ~12 MiB). An owner holding that many
   * gets no new key until one frees, while every other owner still gets its keys; it takes ten owners at
   * their share to reach `maxEntries`.
   */
  readonly maxEntriesPerOwner?: number;
}

/** One owner's records, swept on their own: a full owner costs O(its share) to check, not O(all records). */
interface OwnerRecords {
  readonly entries: Map<string, Entry>;
  sweptAt: number;
  /**
   * The earliest expiry among `entries` at the last sweep, lowered by every record added since (one extended
   * since may leave it early): none of the owner's records expires before it.
   */
  nextExpiryAt: number;
}

/** A sweep, of one owner or of all, runs at most once a second: a refused key never costs a scan. */
const SWEEP_INTERVAL_MS = 1000;

function positiveInteger(name: string, value: number): number {
  if (Number.isSafeInteger(value) && value >= 1) return value;
  throw new RangeError(`MemoryIdempotencyStore: ${name} must be a positive integer, got ${value}`);
}

/**
 * In-process records, bounded by their TTL (swept periodically), by `maxEntriesPerOwner` and by `maxEntries`.
 * A new key is refused rather than admitted past a bound or evicting a live record — dropping one would let
 * its retry place a second order: past its owner's share it is `owner-full` (→ 429 for that owner alone),
 * past the global bound it throws (→ 503 "retry later"). The share keeps one tenant from using up everyone's
 * room: with the global bound alone, one partner (or user) holding `maxEntries` keys for 24 h had every other
 * owner's keyed orders refused. Without bounds, keys held for 24 h grow the heap without limit (the soak
 * measured ~1.2 KB per record). Every call is O(1) but for a sweep, at most once a second. Production keeps
 * records in Redis.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly owners = new Map<string, OwnerRecords>();
  /** Records of all owners (expired ones included until swept). */
  private size = 0;
  private readonly maxEntries: number;
  private readonly maxEntriesPerOwner: number;
  /** Started once the limits are valid: a constructor that throws leaves no timer behind. */
  private readonly sweeper: NodeJS.Timeout;
  private sweptAt = 0;

  constructor(
    limits: MemoryIdempotencyLimits = {},
    private readonly now: () => number = Date.now,
  ) {
    this.maxEntries = positiveInteger('maxEntries', limits.maxEntries ?? 100_000);
    const share = limits.maxEntriesPerOwner ?? Math.max(1, Math.floor(this.maxEntries / 10));
    this.maxEntriesPerOwner = positiveInteger('maxEntriesPerOwner', share);
    if (share > this.maxEntries) {
      throw new RangeError(`MemoryIdempotencyStore: maxEntriesPerOwner ${share} > maxEntries ${this.maxEntries}`);
    }
    this.sweeper = setInterval(() => this.sweep(this.now()), 30_000);
    this.sweeper.unref();
  }

  /** @throws Error when `maxEntries` records of all owners are live (the caller answers 503) */
  async begin(owner: string, key: string, fingerprint: string, ttlMs: number): Promise<BeginOutcome> {
    const now = this.now();
    const records = this.owners.get(owner);
    const entry = records?.entries.get(key);
    if (entry && entry.expiresAt > now) return outcomeOf(entry, fingerprint);
    if (!entry) {
      // the owner's share first: an owner at both bounds is the one to slow down, not everyone else
      if (records && records.entries.size >= this.maxEntriesPerOwner) {
        if (now - records.sweptAt >= SWEEP_INTERVAL_MS) this.sweepOwner(owner, records, now);
        if (records.entries.size >= this.maxEntriesPerOwner) {
          return { kind: 'owner-full', retryAfterMs: Math.max(0, records.nextExpiryAt - now) };
        }
      }
      if (this.size >= this.maxEntries) {
        if (now - this.sweptAt >= SWEEP_INTERVAL_MS) this.sweep(now);
        if (this.size >= this.maxEntries) throw new Error(`${this.maxEntries} idempotency records are live: no room for a new key`);
      }
    }
    this.put(owner, key, { fingerprint, expiresAt: now + ttlMs });
    return { kind: 'started' };
  }

  async complete(
    owner: string,
    key: string,
    fingerprint: string,
    answer: StoredAnswer,
    ttlMs: number,
  ): Promise<void> {
    this.put(owner, key, { fingerprint, answer, expiresAt: this.now() + ttlMs });
  }

  async abandon(owner: string, key: string): Promise<void> {
    const records = this.owners.get(owner);
    if (!records?.entries.delete(key)) return;
    this.size -= 1;
    if (records.entries.size === 0) this.owners.delete(owner);
  }

  private put(owner: string, key: string, entry: Entry): void {
    let records = this.owners.get(owner);
    if (!records) {
      records = { entries: new Map(), sweptAt: 0, nextExpiryAt: Infinity };
      this.owners.set(owner, records);
    }
    if (!records.entries.has(key)) this.size += 1;
    records.entries.set(key, entry);
    records.nextExpiryAt = Math.min(records.nextExpiryAt, entry.expiresAt);
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [owner, records] of this.owners) this.sweepOwner(owner, records, now);
  }

  private sweepOwner(owner: string, records: OwnerRecords, now: number): void {
    records.sweptAt = now;
    records.nextExpiryAt = Infinity;
    for (const [key, entry] of records.entries) {
      if (entry.expiresAt <= now) {
        records.entries.delete(key);
        this.size -= 1;
      } else {
        records.nextExpiryAt = Math.min(records.nextExpiryAt, entry.expiresAt);
      }
    }
    if (records.entries.size === 0) this.owners.delete(owner);
  }

  /** Records held, claimed or answered, of all owners (expired ones until swept: at most 30 s late). O(1). */
  get records(): number {
    return this.size;
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}

/**
 * Shared records in Redis: `SET key value NX PX ttl` claims a key in one atomic step, so concurrent duplicates
 * on different instances create one order. Errors propagate: without the shared store the gateway cannot promise
 * idempotency, so the caller answers 503 rather than risk a duplicate.
 *
 * No per-owner share here (never `owner-full`): the records are not in the gateway's heap, each expires by
 * itself, and Redis memory is sized and policed by its operators (`maxmemory`). Counting an owner's live keys
 * would take a sorted set per owner kept in step with the keys' expiry (a Lua script on every claim, and its
 * cleanup): not cheap enough for what the per-partner rate limit and daily quota already bound.
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  /** `<prefix><kind>:<id>:<Idempotency-Key>`, as before owners were explicit: earlier records still match. */
  private keyOf(owner: string, key: string): string {
    return `${this.prefix}${owner}:${key}`;
  }

  async begin(owner: string, key: string, fingerprint: string, ttlMs: number): Promise<BeginOutcome> {
    const record = JSON.stringify({ fingerprint });
    const claimed = await this.redis.client.set(this.keyOf(owner, key), record, 'PX', ttlMs, 'NX');
    if (claimed === 'OK') return { kind: 'started' };
    const raw = await this.redis.client.get(this.keyOf(owner, key));
    if (raw === null) return this.begin(owner, key, fingerprint, ttlMs); // expired in between: claim again
    return outcomeOf(Object.assign({}, JSON.parse(raw) as Entry, { expiresAt: Infinity }), fingerprint);
  }

  async complete(
    owner: string,
    key: string,
    fingerprint: string,
    answer: StoredAnswer,
    ttlMs: number,
  ): Promise<void> {
    await this.redis.client.set(this.keyOf(owner, key), JSON.stringify({ fingerprint, answer }), 'PX', ttlMs);
  }

  async abandon(owner: string, key: string): Promise<void> {
    await this.redis.client.del(this.keyOf(owner, key));
  }
}
