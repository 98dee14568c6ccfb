import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { AuthFailure, invalid } from '../auth.errors';

/** The signature algorithms user tokens may use (pinned: never `none`, HMAC or PS*). */
export type UserTokenAlgorithm = 'RS256' | 'ES256';
export const USER_TOKEN_ALGORITHMS: readonly UserTokenAlgorithm[] = Object.freeze(['RS256', 'ES256']);

export interface JwksCacheOptions {
  /** The identity provider's JWKS (`JWT_JWKS_URL`). */
  readonly url: URL;
  /** Least time between two fetches, whatever triggers them (`JWT_JWKS_COOLDOWN_MS`). */
  readonly cooldownMs: number;
  /** Keys older than this are refreshed in the background on next use; the old ones serve meanwhile. Default 10 min. */
  readonly maxAgeMs?: number;
  /** Whole-fetch deadline. Default 2000 ms. */
  readonly timeoutMs?: number;
  /** Largest JWKS document read. Default 256 KiB. */
  readonly maxBytes?: number;
  /** Clock, epoch ms (tests). */
  readonly now?: () => number;
}

/**
 * Why a fetch of the JWKS failed, a fixed set (the `reason` of `jwks_fetch_failures_total` and of the 503's logged
 * cause): `timeout` (no whole answer within `timeoutMs`), `network` (refused, reset, DNS…), `status` (an answer other
 * than 200, a redirect included), `bad-document` (too large, not JSON, no `keys` array). Never a URL or a body.
 */
export type JwksFetchFailure = 'timeout' | 'network' | 'status' | 'bad-document';

/** Where a verifier gets the key for a token's `kid`; the JWKS cache is the real one, tests may fake it. */
export interface VerificationKeys {
  /**
   * @throws AuthFailure `invalid` for a kid the provider does not publish or an `alg` the key is not for;
   *   `unavailable` when the provider cannot be reached and the key is not cached
   */
  keyFor(kid: string, alg: UserTokenAlgorithm): Promise<KeyObject>;
  /** Starts a background refetch when the keys are older than their maximum age (no I/O otherwise; never throws). */
  refreshIfStale?(): void;
  /** `listener` is called after a fetch no longer publishes a key an earlier fetch did (revocation, rotation). */
  onKeysRemoved?(listener: (kids: readonly string[]) => void): void;
}

/**
 * What the cache last learnt of the provider (readiness; read, never fetched). `lastFetch`: the outcome of the last
 * fetch that completed — `none` before the first one (fetches are lazy: the first token's kid triggers it),
 * `succeeded`, or `failed` (the provider could not be reached or answered nothing usable). `cachedKeys`: the keys
 * held from the last successful fetch, which keep verifying while later fetches fail (0 if none ever succeeded).
 */
export interface JwksState {
  readonly lastFetch: 'none' | 'succeeded' | 'failed';
  readonly cachedKeys: number;
}

/** A fetch that got an answer it cannot use. */
class JwksFetchError extends Error {
  constructor(
    readonly reason: 'status' | 'bad-document',
    readonly status?: number,
  ) {
    super(reason);
  }
}

interface FetchFailed {
  readonly reason: JwksFetchFailure;
  readonly status?: number;
}

/** The reason of a failed fetch: `AbortSignal.timeout` fired (before or during the body), or no usable answer. */
function failureOf(error: unknown): FetchFailed {
  if (error instanceof JwksFetchError) return error;
  return { reason: (error as { name?: unknown } | null)?.name === 'TimeoutError' ? 'timeout' : 'network' };
}

interface CachedKey {
  readonly key: KeyObject;
  readonly alg: UserTokenAlgorithm;
}

const MIN_RSA_BITS = 2048;
const MAX_KEYS = 100;

/**
 * The body as UTF-8 text, read no further than `maxBytes`: whatever answers at the provider's URL may send without
 * end, and `res.text()` would hold all it sent before the deadline (megabytes a second on a fast link) before any
 * size check. A declared Content-Length over the cap is refused unread.
 * @throws JwksFetchError `bad-document` past `maxBytes`
 */
async function textWithin(res: Response, maxBytes: number): Promise<string> {
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
    await res.body?.cancel();
    throw new JwksFetchError('bad-document');
  }
  const reader = res.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel(); // closes the connection: the rest is never received
      throw new JwksFetchError('bad-document');
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses one JWK once (at fetch time, never per request); undefined for keys we cannot or must not use. */
function toCachedKey(jwk: Record<string, unknown>): [string, CachedKey] | undefined {
  const { kid, kty, use, alg } = jwk;
  if (typeof kid !== 'string' || kid === '' || (use !== undefined && use !== 'sig')) return undefined;
  const expected: UserTokenAlgorithm | undefined = kty === 'RSA' ? 'RS256' : kty === 'EC' && jwk['crv'] === 'P-256' ? 'ES256' : undefined;
  if (!expected || (alg !== undefined && alg !== expected)) return undefined;
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) return undefined;
    return [kid, { key, alg: expected }];
  } catch {
    return undefined;
  }
}

/**
 * The identity provider's signing keys, fetched from its JWKS and kept as parsed `KeyObject`s.
 *
 * - A known `kid` is answered from memory. Keys older than `maxAgeMs` trigger a background refresh; if the provider
 *   is down, the keys we have keep serving (a provider outage does not log everybody out).
 * - An unknown `kid` triggers a refetch, at most one per `cooldownMs` whatever the number of requests (concurrent
 *   ones share the fetch in flight): a flood of random kids costs the provider one fetch per cooldown. Rotation at
 *   the provider is therefore picked up without restart, within one cooldown.
 * - An unknown `kid` while the provider is unreachable (the last fetch failed) is `unavailable` (→ 503), not
 *   `invalid`: the token may be fine.
 */
export class JwksCache implements VerificationKeys {
  private keys = new Map<string, CachedKey>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  /** Why the last fetch failed (the 503's logged cause names it), undefined once one succeeded. */
  private lastFailure: string | undefined;
  private inFlight: Promise<void> | undefined;
  private fetchCount = 0;
  private readonly now: () => number;
  private readonly maxAgeMs: number;
  private readonly removalListeners: ((kids: readonly string[]) => void)[] = [];
  private readonly failureListeners: ((reason: JwksFetchFailure) => void)[] = [];

  constructor(private readonly options: JwksCacheOptions) {
    this.now = options.now ?? Date.now;
    this.maxAgeMs = options.maxAgeMs ?? 600_000;
  }

  /** Per request on the remembered-token path: two comparisons unless a refetch is due (nothing allocated). */
  refreshIfStale(): void {
    if (this.inFlight !== undefined || this.loadedAt === Number.NEGATIVE_INFINITY) return;
    const now = this.now();
    if (now - this.loadedAt > this.maxAgeMs && now - this.attemptedAt >= this.options.cooldownMs) void this.refresh();
  }

  onKeysRemoved(listener: (kids: readonly string[]) => void): void {
    this.removalListeners.push(listener);
  }

  /** `listener` is called once per failed fetch of the provider's keys, with the reason (metrics); if it throws, ignored. */
  onFetchFailure(listener: (reason: JwksFetchFailure) => void): void {
    this.failureListeners.push(listener);
  }

  /** Fetches started so far (for tests and metrics). */
  get fetches(): number {
    return this.fetchCount;
  }

  /** The outcome of the last completed fetch and the keys held (see `JwksState`): no I/O, never starts a fetch. */
  get state(): JwksState {
    const succeeded = this.loadedAt !== Number.NEGATIVE_INFINITY;
    const lastFetch = this.lastFailure !== undefined ? 'failed' : succeeded ? 'succeeded' : 'none';
    return { lastFetch, cachedKeys: this.keys.size };
  }

  async keyFor(kid: string, alg: UserTokenAlgorithm): Promise<KeyObject> {
    let found = this.keys.get(kid);
    if (found) {
      if (this.now() - this.loadedAt > this.maxAgeMs) void this.refresh();
    } else {
      await this.refresh();
      found = this.keys.get(kid);
    }
    if (found) {
      if (found.alg !== alg) throw invalid(`key ${kid.slice(0, 40)} is not for ${alg}`);
      return found.key;
    }
    if (this.lastFailure !== undefined) {
      const why = `the JWKS could not be fetched (${this.lastFailure}) and the key is not cached`;
      throw new AuthFailure('unavailable', why);
    }
    throw invalid('no key with this kid');
  }

  /** Refetches unless one is in flight (joined) or the last attempt is younger than the cooldown. Never throws. */
  private refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const now = this.now();
    if (now - this.attemptedAt < this.options.cooldownMs) return Promise.resolve();
    this.attemptedAt = now;
    this.fetchCount += 1;
    this.inFlight = this.load().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async load(): Promise<void> {
    try {
      const res = await fetch(this.options.url, {
        // a redirect is answered as it is (never followed) and refused like any status but 200
        redirect: 'manual',
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 2000),
      });
      if (res.status !== 200) {
        await res.body?.cancel(); // never read: its words are not ours to log, and it may not end
        throw new JwksFetchError('status', res.status);
      }
      const document = parseDocument(await textWithin(res, this.options.maxBytes ?? 256 * 1024));
      if (!Array.isArray(document?.keys)) throw new JwksFetchError('bad-document');
      const parsed = document.keys
        .slice(0, MAX_KEYS)
        .filter((k): k is Record<string, unknown> => typeof k === 'object' && k !== null)
        .map(toCachedKey)
        .filter((entry) => entry !== undefined);
      const before = this.keys;
      this.keys = new Map(parsed);
      this.loadedAt = this.now();
      this.lastFailure = undefined;
      const removed = [...before.keys()].filter((kid) => !this.keys.has(kid));
      if (removed.length > 0) for (const listener of this.removalListeners) listener(removed);
    } catch (error) {
      this.fetchFailed(failureOf(error));
    }
  }

  private fetchFailed({ reason, status }: FetchFailed): void {
    this.lastFailure = status === undefined ? `reason: ${reason}` : `reason: ${reason}, HTTP ${status}`;
    for (const listener of this.failureListeners) {
      try {
        listener(reason);
      } catch {
        // an observer (a metric) never fails the fetch, nor the request waiting for it
      }
    }
  }
}

function parseDocument(text: string): { keys?: unknown } | undefined {
  try {
    const document: unknown = JSON.parse(text);
    return typeof document === 'object' && document !== null ? (document as { keys?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}
