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
  /** Found keys remembered (LRU). Default 10 000. */
  readonly cacheEntries?: number;
  /** Clock, epoch ms (tests). */
  readonly now?: () => number;
}

/**
 * Keys in Redis (`REDIS_URL`), shared by every gateway instance: `<prefix>hash:<sha256>` → the record as JSON, and
 * the hash `<prefix>ids` (id → sha256) for listing and revoking. The client must be fail-fast (no offline queue,
 * short command timeout: `@frontdoor/redis`), so a Redis outage turns into a quick 503 for keys not in memory,
 * never a hang. Positive lookups are remembered for `cacheTtlMs`; unknown keys are not (nothing to remember).
 */
export class RedisApiKeyStore implements ApiKeyStore {
  private readonly prefix: string;
  private readonly found: ExpiringLru<StoredApiKey>;
  /** Lookups in flight, by hash: concurrent requests with one key share one Redis read. */
  private readonly lookups = new Map<string, Promise<StoredApiKey | undefined>>();
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisApiKeyStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'frontdoor:api-keys:';
    this.found = new ExpiringLru(options.cacheEntries ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  /** A key found within the last `cacheTtlMs`, as `findByHash` would return it without asking Redis. */
  peekByHash(sha256: string): StoredApiKey | undefined {
    return this.found.get(sha256, this.now());
  }

  async findByHash(sha256: string): Promise<StoredApiKey | undefined> {
    const cached = this.found.get(sha256, this.now());
    if (cached) return cached;
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
    const raw = await this.redis.get(this.hashKey(sha256));
    if (raw === null) return undefined;
    const record = readStoredApiKey(JSON.parse(raw));
    this.found.set(sha256, record, this.now() + (this.options.cacheTtlMs ?? 5000));
    return record;
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
    if (record.revokedAt === null) await this.redis.set(this.hashKey(sha256), JSON.stringify({ ...record, revokedAt: at.toISOString() }));
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
