import type { CachedResponse, ResponseCacheStore } from './cache.store';

/** How many TTLs a copy is kept past its freshness, to be served stale when the upstream fails. */
export const STALE_TTL_FACTOR = 10;

/** Who an answer may be shared with: everyone allowed on the route, or one principal only. */
export type CacheAudience = { readonly shared: true } | { readonly shared: false; readonly principal: string };

/** What identifies one cached answer. Everything that can change the upstream's answer must be in it. */
export interface CacheKeyParts {
  readonly upstream: string;
  /** The upstream path as sent, query string included (built from allow-listed parameters only). */
  readonly path: string;
  /** The allow-listed request headers forwarded (they may change the answer, like `Vary`). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly audience: CacheAudience;
}

/**
 * The cache key of a GET: upstream, path with its allow-listed query, forwarded route headers, and the principal —
 * unless the route is declared shared. Unambiguous (JSON), so no path or principal id can forge another key.
 */
export function cacheKeyOf(parts: CacheKeyParts): string {
  const audience = parts.audience.shared ? null : parts.audience.principal; // null: no principal id can equal it
  return JSON.stringify(['GET', parts.upstream, parts.path, parts.headers ?? {}, audience]);
}

/**
 * The response cache of GET routes over a store (memory, or memory + Redis): fresh copies answer without a call;
 * stale copies (up to `min(10 × TTL, staleMaxS)` past freshness) are kept for stale-if-error.
 */
export class ResponseCache {
  constructor(
    private readonly store: ResponseCacheStore,
    private readonly staleMaxS: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The copy under `key`, fresh or stale (`isFresh` tells), or undefined. Never throws. */
  async get(key: string): Promise<CachedResponse | undefined> {
    try {
      return await this.store.get(key);
    } catch {
      return undefined;
    }
  }

  isFresh(entry: CachedResponse): boolean {
    return entry.freshUntil > this.now();
  }

  /** Keeps an answer fresh for `ttlS` seconds (and stale for up to 10 × that, at most `staleMaxS`). Never throws. */
  async put(key: string, answer: Pick<CachedResponse, 'status' | 'headers' | 'body'>, ttlS: number): Promise<void> {
    if (!(ttlS > 0)) return;
    const freshUntil = this.now() + ttlS * 1000;
    const staleUntil = freshUntil + Math.min(ttlS * STALE_TTL_FACTOR, this.staleMaxS) * 1000;
    try {
      await this.store.set(key, { status: answer.status, headers: answer.headers, body: answer.body, freshUntil, staleUntil });
    } catch {
      // a cache that cannot write is a cache that misses
    }
  }

  async close(): Promise<void> {
    await this.store.close?.();
  }
}
