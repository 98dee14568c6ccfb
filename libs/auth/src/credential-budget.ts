import { ProblemError } from '@frontdoor/errors';

/**
 * How many credentials this instance has NOT verified before (a new or unknown token, an API key it does not hold
 * in memory) one client address may present per second: a token bucket per address, `ratePerS` a second, bursts
 * of twice that. A credential the verifier remembers never touches it, so a client reusing its token is never
 * slowed; what it bounds is the work an address can make the gateway do by varying credentials — an RS256
 * signature check each (~140 µs, docs/benchmarks.md "Error paths"), or a key-store lookup in Redis — which no
 * later limit sees, since the per-principal rate limit runs after authentication (STYLE.md's order) and a refused
 * credential has no principal. Envoy puts a local rate limit in front of `jwt_authn` for the same reason.
 *
 * Per instance and in memory: it protects this instance's CPU and its key store, and needs no I/O on the refusal
 * path. Written by hand (30 lines) because the libraries of the field count after authentication (the
 * throttler's guard keys on the principal, our `RateLimitGuard` runs after this guard) and asynchronously.
 *
 * Addresses: IPv4 as they are (an IPv4-mapped IPv6 address is its IPv4 address), IPv6 by their /64, which one
 * subscriber usually holds whole. `request.ip` honours TRUST_PROXY: behind a proxy that is not trusted every client
 * shares the proxy's address, and a flood then slows everyone's NEW credentials (remembered ones still pass) —
 * which is still better than a flood of signature checks taking the instance's CPU from everyone.
 */
export class CredentialBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;

  constructor(
    readonly ratePerS: number,
    private readonly maxAddresses = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(ratePerS > 0) || !Number.isFinite(ratePerS)) throw new RangeError(`CredentialBudget: ratePerS must be > 0, got ${ratePerS}`);
    this.burst = 2 * ratePerS;
  }

  /** 0 when `ip` may have one more credential checked now (and spends it); else the whole seconds until it may. */
  take(ip: string): number {
    const key = addressKeyOf(ip);
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      // bounded: the address seen longest ago (by first sight) makes room; it starts afresh if it comes back
      if (this.buckets.size >= this.maxAddresses) this.buckets.delete(this.buckets.keys().next().value as string);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerS);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerS));
  }
}

/** The bucket of an address: IPv4 as is, IPv6 by its /64 (zone ids dropped). */
export function addressKeyOf(ip: string): string {
  if (!ip.includes(':')) return ip;
  const address = ip.split('%')[0] as string;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1] as string;
  const [head = '', tail] = address.split('::');
  const first = head === '' ? [] : head.split(':');
  const last = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? first : [...first, ...Array<string>(Math.max(0, 8 - first.length - last.length)).fill('0'), ...last];
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** 429 before any verification: this address presented more new credentials than its budget. */
export function credentialsThrottled(retryAfterS: number, ratePerS: number): ProblemError {
  return new ProblemError('rate-limited', 'Too many credentials this gateway has not seen before came from your address; retry later.', {
    headers: {
      'Retry-After': String(retryAfterS),
      'RateLimit-Limit': String(ratePerS),
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': String(retryAfterS),
    },
  });
}
