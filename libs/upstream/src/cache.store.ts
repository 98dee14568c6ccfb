/** One cached upstream answer, as the gateway received it (2xx, allow-listed headers, raw body). */
export interface CachedResponse {
  readonly status: number;
  /** The upstream's `content-type` and the route's allow-listed response headers (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** Epoch ms until which the copy is fresh (served without asking the upstream). */
  readonly freshUntil: number;
  /** Epoch ms until which the copy may still be served, marked stale, when the upstream fails. */
  readonly staleUntil: number;
}

/**
 * Port: where cached answers live. `get` answers only copies whose `staleUntil` has not passed; implementations
 * never throw and never hang (a store that fails answers a miss and drops the write).
 */
export interface ResponseCacheStore {
  get(key: string): CachedResponse | undefined | Promise<CachedResponse | undefined>;
  set(key: string, entry: CachedResponse): void | Promise<void>;
  close?(): Promise<void>;
}

/** Injection token of the {@link ResponseCacheStore} port. */
export const RESPONSE_CACHE_STORE = Symbol('ResponseCacheStore');
