import type { CallIdentity, IdentitySigner } from '@frontdoor/upstream';
import type { GatewayKey } from './gateway-key';

/** Longest lifetime of a gateway identity token, seconds (PRODUCT.md: short-lived, ≤ 60 s). */
export const GATEWAY_TOKEN_LIFETIME_S = 60;

interface Signed {
  readonly authorization: string;
  /** Epoch ms after which a fresh token is signed: half the lifetime, so a served token has ≥ 30 s left. */
  readonly renewAt: number;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Implements the upstream client's identity port: the gateway's own signed token per upstream call, presenting
 * who the caller is to one upstream — `iss` `frontdoor:<app>`, `aud` the upstream's logical name, `sub` the user's
 * subject or `partner:<id>`, `roles`, `partner` (partners only), `iat`, `exp` = iat + 60 s, header `kid`. Client
 * credentials never travel: this token replaces them.
 *
 * Signing (ES256, ~50 µs) happens once per (principal, audience) per half lifetime: tokens are cached per principal
 * object (principals are shared by every request with the same verified token or key), so a request usually costs a
 * WeakMap and a Map lookup.
 */
export class GatewayTokenSigner implements IdentitySigner {
  private readonly cache = new WeakMap<CallIdentity, Map<string, Signed>>();
  private readonly encodedHeader: string;

  constructor(
    private readonly key: GatewayKey,
    private readonly issuer: string,
    private readonly now: () => number = Date.now,
  ) {
    this.encodedHeader = b64({ alg: 'ES256', typ: 'JWT', kid: key.kid });
  }

  authorizationFor(identity: CallIdentity, audience: string): string {
    const now = this.now();
    let perAudience = this.cache.get(identity);
    if (!perAudience) {
      perAudience = new Map();
      this.cache.set(identity, perAudience);
    }
    const cached = perAudience.get(audience);
    if (cached && now < cached.renewAt) return cached.authorization;
    const signed = this.sign(identity, audience, now);
    perAudience.set(audience, signed);
    return signed.authorization;
  }

  private sign(identity: CallIdentity, audience: string, now: number): Signed {
    const iat = Math.floor(now / 1000);
    const partner = identity.kind === 'partner';
    const claims = {
      iss: this.issuer,
      sub: partner ? `partner:${identity.id}` : identity.id,
      aud: audience,
      iat,
      exp: iat + GATEWAY_TOKEN_LIFETIME_S,
      roles: identity.roles,
      ...(partner ? { partner: identity.id } : {}),
    };
    const input = `${this.encodedHeader}.${b64(claims)}`;
    return { authorization: `Bearer ${input}.${this.key.sign(input)}`, renewAt: now + (GATEWAY_TOKEN_LIFETIME_S * 1000) / 2 };
  }
}
