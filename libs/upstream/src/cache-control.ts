/** What the upstream's own headers allow a gateway cache to do with an answer. */
export interface CacheAllowance {
  /** Seconds the answer may be served fresh: the route's TTL, lowered by `max-age`/`s-maxage`; 0 = do not store. */
  readonly ttlS: number;
}

const DIRECTIVE = /([a-z-]+)\s*(?:=\s*"?(\d+)"?)?/g;

/**
 * How long to keep an upstream answer, honouring its `Cache-Control` (RFC 9111): `no-store` and `no-cache` (we do
 * not revalidate) forbid storing; `private` forbids a cache shared across principals (`shared`); `s-maxage` (shared
 * caches only) or else `max-age` lowers the route's TTL, never raises it. `Set-Cookie` or `Vary: *` on the answer
 * also forbid storing: it was made for one client.
 */
export function cacheAllowance(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  routeTtlS: number,
  shared: boolean,
): CacheAllowance {
  if (headers['set-cookie'] !== undefined || headers['vary'] === '*') return { ttlS: 0 };
  const value = headers['cache-control'];
  if (value === undefined) return { ttlS: routeTtlS };
  const text = (Array.isArray(value) ? value.join(',') : value).toLowerCase();
  let maxAge: number | undefined;
  let sMaxAge: number | undefined;
  for (const [, name, seconds] of text.matchAll(DIRECTIVE)) {
    if (name === 'no-store' || name === 'no-cache' || (name === 'private' && shared)) return { ttlS: 0 };
    if (name === 'max-age' && seconds !== undefined) maxAge = Number(seconds);
    if (name === 's-maxage' && seconds !== undefined) sMaxAge = Number(seconds);
  }
  const limit = shared && sMaxAge !== undefined ? sMaxAge : maxAge;
  return { ttlS: limit === undefined ? routeTtlS : Math.min(routeTtlS, limit) };
}
