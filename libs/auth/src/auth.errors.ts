import { ProblemError } from '@frontdoor/errors';

/*
 * What a client is told when authentication fails. Deliberately uniform: a 401 never says which check failed
 * (expired, wrong issuer, bad signature, unknown key…) beyond RFC 6750's error code; the reason stays in the cause,
 * for the log only. A dependency of the gateway being down is a 503, never a 401: the client's credential may well
 * be fine.
 */

/** RFC 6750 §3: a bare challenge when no credentials were sent, `invalid_token` when they were and failed. */
export const BEARER_CHALLENGE = 'Bearer';
export const BEARER_INVALID_TOKEN_CHALLENGE = 'Bearer error="invalid_token"';
/** The partner API's scheme: the key travels in the `X-API-Key` header, never in the query string. */
export const API_KEY_CHALLENGE = 'ApiKey header="X-API-Key"';

export function bearerMissing(): ProblemError {
  return new ProblemError('unauthorized', 'Authentication is required: send a bearer token.', {
    headers: { 'WWW-Authenticate': BEARER_CHALLENGE },
  });
}

export function bearerInvalid(cause?: unknown): ProblemError {
  return new ProblemError('unauthorized', 'The bearer token is invalid or has expired.', {
    headers: { 'WWW-Authenticate': BEARER_INVALID_TOKEN_CHALLENGE },
    cause,
  });
}

export function apiKeyRefused(cause?: unknown): ProblemError {
  return new ProblemError('unauthorized', 'A valid API key is required in the X-API-Key header.', {
    headers: { 'WWW-Authenticate': API_KEY_CHALLENGE },
    cause,
  });
}

/** The identity provider (JWKS) or the key store is unreachable and nothing cached can decide: retry later. */
export function credentialsUnverifiable(what: 'identity provider' | 'API key store', retryAfterS: number, cause?: unknown): ProblemError {
  return new ProblemError('service-unavailable', `The ${what} is unavailable; retry later.`, {
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterS))) },
    cause,
  });
}

const AUTH_FAILURE = Symbol.for('frontdoor.auth-failure');

/**
 * Internal outcome of a verifier: `invalid` (→ 401) or `unavailable` (→ 503), with the precise reason for logs and
 * tests. Guards turn it into the uniform problems above.
 */
export class AuthFailure extends Error {
  readonly [AUTH_FAILURE] = true;

  constructor(
    readonly kind: 'invalid' | 'unavailable',
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'AuthFailure';
  }
}

export function isAuthFailure(error: unknown): error is AuthFailure {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[AUTH_FAILURE] === true;
}

export const invalid = (reason: string, cause?: unknown) => new AuthFailure('invalid', reason, { cause });
