import type Redis from 'ioredis';
import { ExpiringLru } from '../expiring-lru';
import { readStoredApiKey, type ApiKeyStore, type StoredApiKey } from './api-key.store';

export interface RedisApiKeyStoreOptions {
  /** Key prefix. Default `frontdoor:api-keys:`. */
  readonly prefix?: string;
  /**
   * How long a found key is answered from memory, ms. Default 5000: a revocation (or plan change) made on another
   * instance or with the CLI takes effect everywhere within this bound; lookups of known keys cost no round trip.
   */
  readonly cacheTtlMs?: number;
  /** Found keys remembered (LRU), stale copies included. Default 10 000. */
  readonly cacheEntries?: number;
  /**
   * How long past `cacheTtlMs` a found key still answers when Redis cannot be read (the command fails or times
   * out; never when Redis answers that the key is gone), ms. Default 300 000 (5 min), Kong's `resurrect_ttl`: a
   * Redis restart or failover does not take every known partner down with it, and a revocation this instance cannot
   * see (Redis unreachable from here) is honoured at most this late. A key revoked through this store is forgotten
   * at once. 0: no stale answers.
   */
  readonly staleIfErrorMs?: number;
  /**
   * Whether the connection is up (`RedisConnection.ready`): while it is not, a key with a stale copy is answered
   * without a read. Default: the client's own status.
   */
  readonly isReady?: () => boolean;
  /** Called when keys start being answered stale; again only after a read has succeeded since (once per outage). */
  readonly onServingStale?: () => void;
  /** Clock, epoch ms (tests). */
  readonly now?: () => number;
}

/** A found key: answered without a read until `freshUntil`, then only while Redis cannot be read. */
interface Found {
  readonly record: StoredApiKey;
  /** Epoch ms: `cacheTtlMs` after the read; moved on by `STALE_RETRY_MS` when the key is answered stale. */
  freshUntil: number;
}

/** After a failed read, a key answers from its stale copy this long before Redis is asked again, ms. */
const STALE_RETRY_MS = 1000;

/**
 * Keys in Redis (`REDIS_URL`), shared by every gateway instance: `<prefix>hash:<sha256>` → the record as JSON, and
 * the hash `<prefix>ids` (id → sha256) for listing and revoking. The client must be fail-fast (no offline queue,
 * short command timeout: `@frontdoor/redis`), so a Redis outage turns into a quick 503 for keys not in memory,
 * never a hang. Positive lookups are remembered for `cacheTtlMs`; unknown keys are not (nothing to remember).
 * When a read fails, a key found before answers from its copy for up to `staleIfErrorMs` more, asking Redis again
 * at most once a second per key (none while the connection is down), so known partners keep their latency.
 */
export class RedisApiKeyStore implements ApiKeyStore {
  private readonly prefix: string;
  private readonly found: ExpiringLru<Found>;
  /** Lookups in flight, by hash: concurrent requests with one key share one Redis read. */
  private readonly lookups = new Map<string, Promise<StoredApiKey | undefined>>();
  private readonly now: () => number;
  private readonly cacheTtlMs: number;
  private readonly staleIfErrorMs: number;
  private readonly isReady: () => boolean;
  private servingStale = false;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisApiKeyStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'frontdoor:api-keys:';
    this.found = new ExpiringLru(options.cacheEntries ?? 10_000);
    this.now = options.now ?? Date.now;
    this.cacheTtlMs = options.cacheTtlMs ?? 5000;
    this.staleIfErrorMs = options.staleIfErrorMs ?? 300_000;
    this.isReady = options.isReady ?? (() => redis.status === 'ready');
  }

  /**
   * A key as `findByHash` would return it without asking Redis: found within the last `cacheTtlMs`, or answered
   * stale within the last second.
   */
  peekByHash(sha256: string): StoredApiKey | undefined {
    const now = this.now();
    const found = this.found.get(sha256, now);
    return found !== undefined && now < found.freshUntil ? found.record : undefined;
  }

  async findByHash(sha256: string): Promise<StoredApiKey | undefined> {
    const now = this.now();
    const found = this.found.get(sha256, now);
    if (found !== undefined) {
      if (now < found.freshUntil) return found.record;
      if (!this.isReady()) return this.answerStale(found, now); // the read would fail at once
    }
    // one Redis read per key at a time: a partner's burst on a cold key, or every `cacheTtlMs` when its entry
    // expires, would otherwise send one GET per request in flight (a stampede on Redis, each able to time out)
    let lookup = this.lookups.get(sha256);
    if (lookup === undefined) {
      lookup = this.lookUp(sha256).finally(() => this.lookups.delete(sha256));
      this.lookups.set(sha256, lookup);
    }
    return lookup;
  }

  private async lookUp(sha256: string): Promise<StoredApiKey | undefined> {
    let raw: string | null;
    try {
      raw = await this.redis.get(this.hashKey(sha256));
    } catch (error) {
      // looked up again now: a `revoke` while the read was pending has deleted the copy, and it stays deleted
      const now = this.now();
      const found = this.found.get(sha256, now);
      if (found === undefined) throw error;
      return this.answerStale(found, now);
    }
    this.servingStale = false;
    // Redis answered: its answer replaces the copy, so a key gone (or unreadable) there cannot come back stale
    this.found.delete(sha256);
    if (raw === null) return undefined;
    const record = readStoredApiKey(JSON.parse(raw));
    const freshUntil = this.now() + this.cacheTtlMs;
    this.found.set(sha256, { record, freshUntil }, freshUntil + this.staleIfErrorMs);
    return record;
  }

  /** The copy answers until the next retry (the guard's fast path too); `found` drops it `staleIfErrorMs` past its TTL. */
  private answerStale(found: Found, now: number): StoredApiKey {
    found.freshUntil = now + STALE_RETRY_MS;
    if (!this.servingStale) {
      this.servingStale = true;
      this.options.onServingStale?.();
    }
    return found.record;
  }

  async list(): Promise<StoredApiKey[]> {
    const ids = await this.redis.hgetall(this.idsKey());
    const hashes = Object.values(ids);
    if (hashes.length === 0) return [];
    const raws = await this.redis.mget(hashes.map((h) => this.hashKey(h)));
    return raws
      .filter((raw): raw is string => raw !== null)
      .map((raw) => readStoredApiKey(JSON.parse(raw)))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async add(key: StoredApiKey): Promise<void> {
    const record = readStoredApiKey(key);
    const stored = await this.redis.set(this.hashKey(record.sha256), JSON.stringify(record), 'NX');
    if (stored !== 'OK') throw new Error('a key with this value exists');
    const added = await this.redis.hsetnx(this.idsKey(), record.id, record.sha256);
    if (added !== 1) {
      await this.redis.del(this.hashKey(record.sha256));
      throw new Error('a key with this id exists');
    }
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    const sha256 = await this.redis.hget(this.idsKey(), id);
    if (sha256 === null) return false;
    const raw = await this.redis.get(this.hashKey(sha256));
    if (raw === null) return false;
    const record = readStoredApiKey(JSON.parse(raw));
    if (record.revokedAt === null) await this.redis.set(this.hashKey(sha256), JSON.stringify(Object.assign({}, record, { revokedAt: at.toISOString() })));
    this.found.delete(sha256);
    return true;
  }

  async close(): Promise<void> {
    // the connection belongs to whoever created it
  }

  private hashKey(sha256: string): string {
    return `${this.prefix}hash:${sha256}`;
  }

  private idsKey(): string {
    return `${this.prefix}ids`;
  }
}
