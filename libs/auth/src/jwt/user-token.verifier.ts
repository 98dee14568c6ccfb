import { jwtVerify, type JWTPayload } from 'jose';
import type { Principal } from '@frontdoor/rbac';
import { invalid, isAuthFailure } from '../auth.errors';
import { ExpiringLru } from '../expiring-lru';
import { MAX_TOKEN_LENGTH } from './bearer.extract';
import { USER_TOKEN_ALGORITHMS, type UserTokenAlgorithm, type VerificationKeys } from './jwks.cache';

/** What a user token must satisfy (from `jwtSchema`: JWT_ISSUER, JWT_AUDIENCE, JWT_CLOCK_SKEW_S, JWT_MAX_LIFETIME_S). */
export interface UserTokenPolicy {
  readonly issuer: string;
  readonly audience: string;
  /** Tolerance on `exp`, `nbf` and `iat`, seconds. */
  readonly clockSkewS: number;
  /** Longest accepted `exp - iat`, seconds. */
  readonly maxLifetimeS: number;
  /** Verified tokens remembered (LRU). Default 10 000. */
  readonly cacheEntries?: number;
  /** Clock, epoch ms (tests). */
  readonly now?: () => number;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const MAX_SUB_LENGTH = 256;
const MAX_ROLES = 64;
const MAX_ROLE_LENGTH = 64;

interface Header {
  readonly alg: UserTokenAlgorithm;
  readonly kid: string;
}

/** Structure, `alg`, `kid` and `crit` from the protected header, before any key is looked up. */
function readHeader(token: string): Header {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) throw invalid('not a signed compact JWT');
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString('utf8'));
  } catch (cause) {
    throw invalid('the header is not JSON', cause);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw invalid('the header is not an object');
  const { alg, kid, crit } = header as Record<string, unknown>;
  if (!USER_TOKEN_ALGORITHMS.includes(alg as UserTokenAlgorithm)) throw invalid('alg not allowed');
  // RFC 7515 §4.1.11: extensions the recipient does not understand must be refused; we understand none.
  if (crit !== undefined) throw invalid('crit is not supported');
  if (typeof kid !== 'string' || kid === '' || kid.length > 256) throw invalid('no usable kid');
  return { alg: alg as UserTokenAlgorithm, kid };
}

/** Checks jose does not make (PITFALLS §2.2): iat present and not in the future, lifetime, claim types. */
function toPrincipal(payload: JWTPayload, policy: UserTokenPolicy, nowS: number): Principal {
  const { exp, iat, sub } = payload;
  if (typeof exp !== 'number' || typeof iat !== 'number') throw invalid('exp and iat are required');
  if (iat > nowS + policy.clockSkewS) throw invalid('iat is in the future');
  if (!(exp > iat) || exp - iat > policy.maxLifetimeS) throw invalid('lifetime out of bounds');
  if (typeof sub !== 'string' || sub === '' || sub.length > MAX_SUB_LENGTH) throw invalid('sub is not a usable string');
  const roles = payload['roles'] ?? [];
  if (
    !Array.isArray(roles) ||
    roles.length > MAX_ROLES ||
    !roles.every((role) => typeof role === 'string' && role !== '' && role.length <= MAX_ROLE_LENGTH)
  ) {
    throw invalid('roles is not an array of strings');
  }
  return Object.freeze({ kind: 'user', id: sub, roles: Object.freeze([...new Set(roles as string[])]) });
}

/**
 * Verifies user bearer tokens (RFC 7519 + 8725): signature by a key of the provider's JWKS with a pinned algorithm
 * (RS256 or ES256; never `none`, HMAC or PS*), `iss` and `aud` as configured, `exp` and `iat` required, `nbf`, `exp`
 * and `iat` within the clock skew, lifetime at most `maxLifetimeS`, no `crit`, `sub` a non-empty string, `roles`
 * an array of strings (absent = none).
 *
 * Verified tokens are remembered whole (the token string is the key) until their `exp`, in a bounded LRU: a client
 * that reuses its token pays one map lookup instead of a signature check (~150–200 µs with jose).
 */
export class UserTokenVerifier {
  private readonly verified: ExpiringLru<Principal>;
  private readonly now: () => number;

  constructor(
    private readonly keys: VerificationKeys,
    private readonly policy: UserTokenPolicy,
  ) {
    this.verified = new ExpiringLru(policy.cacheEntries ?? 10_000);
    this.now = policy.now ?? Date.now;
  }

  /** The principal of `token` if this verifier accepted it before and its `exp` has not passed; no I/O, no signature check. */
  remembered(token: string): Principal | undefined {
    return this.verified.get(token, this.now());
  }

  /**
   * @throws AuthFailure `invalid` (→ 401) for any token that fails a check; `unavailable` (→ 503) when the
   *   provider's keys cannot be fetched and the token's key is not cached
   */
  async verify(token: string): Promise<Principal> {
    if (token.length > MAX_TOKEN_LENGTH) throw invalid('token too long');
    const nowMs = this.now();
    const known = this.verified.get(token, nowMs);
    if (known !== undefined) return known;
    const { alg, kid } = readHeader(token);
    const key = await this.keys.keyFor(kid, alg);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: [alg],
        issuer: this.policy.issuer,
        audience: this.policy.audience,
        clockTolerance: this.policy.clockSkewS,
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: new Date(nowMs),
      }));
    } catch (error) {
      throw isAuthFailure(error) ? error : invalid('jose refused the token', error);
    }
    const principal = toPrincipal(payload, this.policy, Math.floor(nowMs / 1000));
    this.verified.set(token, principal, (payload.exp as number) * 1000);
    return principal;
  }
}
