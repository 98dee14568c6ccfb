import { jwtVerify, type JWTPayload } from 'jose';
import type { Principal } from '@frontdoor/rbac';
import { invalid, isAuthFailure, type AuthFailure } from '../auth.errors';
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
  /** Refused tokens remembered (LRU), for failures that would recur (see `UserTokenVerifier`). Default 1 000. */
  readonly rejectedEntries?: number;
  /** How long a refused token is remembered, seconds. Default 60. */
  readonly rejectedTtlS?: number;
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

/** jose's verdicts on the token itself (`errors.*.code` in jose 5): the same token with the same key meets them again. */
const LASTING_JOSE_CODES: ReadonlySet<unknown> = new Set([
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JWT_INVALID',
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
]);

/**
 * Whether a `jwtVerify` failure would recur with the same token. Not when the token is not valid *yet*: jose 5 throws
 * `JWTClaimValidationFailed` with reason `check_failed` on `nbf` ahead of the clock (and on `iat`, with `maxTokenAge`);
 * `exp` passed is `JWTExpired`, which recurs. Nor for an error that is not one of jose's verdicts (a TypeError, say).
 */
function isLasting(error: unknown): boolean {
  const { code, claim, reason } = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  if (!LASTING_JOSE_CODES.has(code)) return false;
  return !(code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (claim === 'nbf' || claim === 'iat') && reason === 'check_failed');
}

/** Checks jose does not make (PITFALLS §2.2): claim types, lifetime (`iat` ahead of the clock is checked before, in `verify`). */
function toPrincipal(payload: JWTPayload, policy: UserTokenPolicy): Principal {
  const { exp, iat, sub } = payload;
  if (typeof exp !== 'number' || typeof iat !== 'number') throw invalid('exp and iat are required');
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
 * that reuses its token pays one map lookup instead of a signature check (~150–200 µs with jose). Until the provider
 * stops publishing a key: then every remembered token is forgotten, and those signed with that key are refused at
 * their next use (the keys are refetched once older than their maximum age, 10 min by default, whatever the traffic).
 *
 * Refused tokens are remembered too, whole, in a second bounded LRU (`rejectedEntries`, default 1 000) for a short
 * while (`rejectedTtlS`, default 60 s): a client replaying the same bad token — typically its expired one, whose
 * signature jose checks before its claims — gets the same `invalid` failure again without a key lookup or a
 * signature check. Only failures that the same token would meet on every later attempt are remembered: a malformed
 * header or claims, a bad signature, the wrong `iss` or `aud`, a bad `sub` or `roles`, a lifetime too long, and
 * `exp` passed (expired stays expired). Never remembered: anything from the key lookup (an unknown `kid` may be
 * published by the next JWKS fetch; `unavailable` is the provider's state, not the token's) and a token not valid
 * yet (`nbf` or `iat` ahead of the clock beyond the skew). The short TTL also bounds the error if a provider reuses
 * a `kid` for a new key. This only saves work on repeats: an attacker who varies the token misses this cache every
 * time and still costs a signature check per request.
 */
export class UserTokenVerifier {
  private readonly verified: ExpiringLru<Principal>;
  private readonly rejected: ExpiringLru<AuthFailure>;
  private readonly rejectedTtlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly keys: VerificationKeys,
    private readonly policy: UserTokenPolicy,
  ) {
    this.verified = new ExpiringLru(policy.cacheEntries ?? 10_000);
    this.rejected = new ExpiringLru(policy.rejectedEntries ?? 1_000);
    this.rejectedTtlMs = (policy.rejectedTtlS ?? 60) * 1000;
    if (!(this.rejectedTtlMs >= 0)) throw new RangeError('rejectedTtlS must be at least 0');
    this.now = policy.now ?? Date.now;
    // a key the provider no longer publishes (revoked, rotated out) takes the tokens it signed with it: they are
    // checked again, and refused. Rare enough to forget every remembered token rather than keep a kid per entry.
    keys.onKeysRemoved?.(() => this.verified.clear());
  }

  /**
   * The principal of `token` if this verifier accepted it before and its `exp` has not passed; no I/O, no signature
   * check. Keys older than their maximum age are refetched in the background from here too: remembered tokens never
   * ask for a key, and the keys must not go stale (and a revocation unnoticed) while every client reuses its token.
   */
  remembered(token: string): Principal | undefined {
    this.keys.refreshIfStale?.();
    return this.verified.get(token, this.now());
  }

  /**
   * @throws AuthFailure `invalid` (→ 401) for any token that fails a check; `unavailable` (→ 503) when the
   *   provider's keys cannot be fetched and the token's key is not cached
   */
  async verify(token: string): Promise<Principal> {
    if (token.length > MAX_TOKEN_LENGTH) throw invalid('token too long');
    const nowMs = this.now();
    this.keys.refreshIfStale?.();
    const known = this.verified.get(token, nowMs);
    if (known !== undefined) return known;
    const refused = this.rejected.get(token, nowMs);
    if (refused !== undefined) throw invalid(refused.message, refused.cause);
    let header: Header;
    try {
      header = readHeader(token);
    } catch (error) {
      throw this.refuse(token, error, nowMs);
    }
    const { alg, kid } = header;
    // Not remembered: an unknown kid may be published by the next JWKS fetch, and `unavailable` is not about the token.
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
      const failure = isAuthFailure(error) ? error : invalid('jose refused the token', error);
      throw isLasting(error) ? this.refuse(token, failure, nowMs) : failure;
    }
    // jose checks `iat` against the clock only with `maxTokenAge`. Not remembered: the token becomes valid later.
    if (typeof payload.iat === 'number' && payload.iat > Math.floor(nowMs / 1000) + this.policy.clockSkewS) throw invalid('iat is in the future');
    let principal: Principal;
    try {
      principal = toPrincipal(payload, this.policy);
    } catch (error) {
      throw this.refuse(token, error, nowMs);
    }
    this.verified.set(token, principal, (payload.exp as number) * 1000);
    return principal;
  }

  /** Remembers an `invalid` failure that would recur (the caller knows: see the class) until the TTL passes; returns it. */
  private refuse(token: string, error: unknown, nowMs: number): unknown {
    if (isAuthFailure(error) && error.kind === 'invalid') this.rejected.set(token, error, nowMs + this.rejectedTtlMs);
    return error;
  }
}
