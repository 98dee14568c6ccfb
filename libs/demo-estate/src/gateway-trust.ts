import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';

/** The gateway's identity tokens live at most this long (PRODUCT.md: ≤ 60 s); anything longer is refused. */
const MAX_LIFETIME_S = 60;
const CLOCK_SKEW_S = 5;

/**
 * What the demo services trust: the public keys of the gateways (their `/.well-known/jwks.json`). A service answers
 * only calls carrying a token one of them signed for it (`aud` = the service's name), so a client that calls a
 * service directly — with a user token, an API key or forged `X-User-*` headers — is refused.
 *
 * Keys are fetched from every trusted URL on an unknown `kid`, at most once per `cooldownMs` (gateways that are not
 * up yet are skipped and asked again next time), then kept: a demo estate outlives the gateways it serves in tests.
 */
export class GatewayTrust {
  private readonly urls = new Set<string>();
  private readonly keys = new Map<string, KeyObject>();
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;

  constructor(
    urls: readonly string[] = [],
    private readonly cooldownMs = 500,
  ) {
    this.trust(urls);
  }

  /** Verification is on once at least one gateway is trusted. */
  get enabled(): boolean {
    return this.urls.size > 0;
  }

  /** Adds gateways' JWKS URLs (absolute http(s) URLs). @throws Error for anything else */
  trust(urls: readonly string[]): void {
    for (const url of urls) {
      if (!/^https?:\/\/[^/]/.test(url)) throw new Error(`a trusted gateway JWKS must be an http(s) URL, got ${JSON.stringify(url)}`);
      this.urls.add(url);
    }
    this.attemptedAt = Number.NEGATIVE_INFINITY;
  }

  /** Whether `token` is a valid gateway identity token for `audience` (the service's name). Never throws. */
  async verify(token: string, audience: string): Promise<boolean> {
    try {
      const { kid, alg } = decodeProtectedHeader(token);
      if (typeof kid !== 'string' || alg !== 'ES256') return false;
      const key = this.keys.get(kid) ?? (await this.refresh(), this.keys.get(kid));
      if (!key) return false;
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['ES256'],
        audience,
        clockTolerance: CLOCK_SKEW_S,
        maxTokenAge: MAX_LIFETIME_S + CLOCK_SKEW_S,
        requiredClaims: ['iss', 'sub', 'iat', 'exp'],
      });
      return (payload.exp as number) - (payload.iat as number) <= MAX_LIFETIME_S && String(payload.iss).startsWith('frontdoor:');
    } catch {
      return false;
    }
  }

  private refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (Date.now() - this.attemptedAt < this.cooldownMs) return Promise.resolve();
    this.attemptedAt = Date.now();
    this.inFlight = Promise.all([...this.urls].map((url) => this.fetchKeys(url))).then(() => undefined);
    void this.inFlight.finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async fetchKeys(url: string): Promise<void> {
    try {
      // generous: a gateway just started on a loaded machine (CI runs suites side by side) answered its first JWKS
      // request in more than 1 s once, and every call waiting on that fetch was refused
      const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(5000) });
      const { keys } = (await res.json()) as { keys?: unknown };
      if (!res.ok || !Array.isArray(keys)) return;
      for (const jwk of keys as (JsonWebKey & { kid?: unknown })[]) {
        if (typeof jwk.kid !== 'string' || jwk.kty !== 'EC') continue;
        this.keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
      }
    } catch {
      // a gateway that is not up (yet): asked again after the cooldown
    }
  }
}
