import { createHash } from 'node:crypto';
import type { CachedResponse, ResponseCacheStore } from './cache.store';

/** The two ioredis commands the store uses (an ioredis `Redis` fits; tests may pass a fake). */
export interface RedisCacheClient {
  getBuffer(key: string): Promise<Buffer | null>;
  set(key: string, value: Buffer, mode: 'PX', ttlMs: number): Promise<unknown>;
}

export interface RedisCacheOptions {
  /** Whether the connection is up now; when false the store answers a miss at once without a round trip. */
  readonly isReady?: () => boolean;
  /** Told about every failed command (already answered as a miss / dropped write). */
  readonly onError?: (error: unknown) => void;
  readonly now?: () => number;
}

const KEY_PREFIX = 'frontdoor:cache:v1:';

interface Meta {
  s: number;
  h: Record<string, string>;
  f: number;
  x: number;
}

/** Length-prefixed JSON metadata, then the raw body: no base64, one buffer. */
function encode(entry: CachedResponse): Buffer {
  const meta = Buffer.from(JSON.stringify({ s: entry.status, h: entry.headers, f: entry.freshUntil, x: entry.staleUntil } satisfies Meta));
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(meta.length);
  return Buffer.concat([head, meta, entry.body]);
}

function decode(value: Buffer): CachedResponse | undefined {
  if (value.length < 4) return undefined;
  const metaLength = value.readUInt32BE(0);
  if (4 + metaLength > value.length) return undefined;
  const meta = JSON.parse(value.subarray(4, 4 + metaLength).toString('utf8')) as Meta;
  if (typeof meta.s !== 'number' || typeof meta.f !== 'number' || typeof meta.x !== 'number') return undefined;
  return { status: meta.s, headers: meta.h, freshUntil: meta.f, staleUntil: meta.x, body: value.subarray(4 + metaLength) };
}

/**
 * Cached answers in Redis, shared by every instance of the gateway. Keys are `frontdoor:cache:v1:` + the SHA-256 of
 * the cache key (principal ids and paths never appear in Redis in clear); entries expire with their stale window
 * (`PX`). Give it a fail-fast client (`enableOfflineQueue: false`, `maxRetriesPerRequest: 1`, `commandTimeout`):
 * every failure is a miss or a dropped write, never an error of the request.
 */
export class RedisCacheStore implements ResponseCacheStore {
  private readonly isReady: () => boolean;
  private readonly now: () => number;

  constructor(
    private readonly client: RedisCacheClient,
    private readonly options: RedisCacheOptions = {},
  ) {
    this.isReady = options.isReady ?? (() => true);
    this.now = options.now ?? Date.now;
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    if (!this.isReady()) return undefined;
    try {
      const value = await this.client.getBuffer(redisKey(key));
      const entry = value === null ? undefined : decode(value);
      return entry !== undefined && entry.staleUntil > this.now() ? entry : undefined;
    } catch (error) {
      this.options.onError?.(error);
      return undefined;
    }
  }

  async set(key: string, entry: CachedResponse): Promise<void> {
    const ttlMs = Math.ceil(entry.staleUntil - this.now());
    if (ttlMs <= 0 || !this.isReady()) return;
    try {
      await this.client.set(redisKey(key), encode(entry), 'PX', ttlMs);
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}

function redisKey(key: string): string {
  return KEY_PREFIX + createHash('sha256').update(key).digest('base64url');
}
