import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, type KeyLike } from 'jose';

interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyLike;
  readonly publicJwk: JWK;
}

/** What a token carries besides the registered claims. */
export interface TokenClaims {
  readonly sub: string;
  readonly roles: readonly string[];
}

/** Where a token is valid and for how long. */
export interface TokenPolicy {
  readonly issuer: string;
  readonly audience: string;
  readonly lifetimeS: number;
}

async function createKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}

/**
 * The identity provider's RS256 keys: one current signing key (kid = its RFC 7638 thumbprint) and, after a rotation,
 * the previous one, still published so tokens it signed keep verifying.
 */
export class IdentityKeys {
  private constructor(
    private current: SigningKey,
    private previous: SigningKey | undefined,
  ) {}

  static async create(): Promise<IdentityKeys> {
    return new IdentityKeys(await createKey(), undefined);
  }

  /** A new current key; the old one stays in the JWKS until the next rotation. */
  async rotate(): Promise<void> {
    const next = await createKey();
    this.previous = this.current;
    this.current = next;
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.current.publicJwk, ...(this.previous ? [this.previous.publicJwk] : [])] };
  }

  async sign(claims: TokenClaims, policy: TokenPolicy): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ roles: [...claims.roles] })
      .setProtectedHeader({ alg: 'RS256', kid: this.current.kid, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(policy.issuer)
      .setAudience(policy.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + policy.lifetimeS)
      .sign(this.current.privateKey);
  }
}
