import type { Principal } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { bearerInvalid, bearerMissing, credentialsUnverifiable, invalid, isAuthFailure } from '../auth.errors';
import type { RememberedCredential } from '../authentication.guard';
import { bearerTokenOf } from './bearer.extract';
import type { UserTokenVerifier } from './user-token.verifier';

/** Passport strategy name prefix of user tokens (web, mobile); each app instance adds its own suffix. */
export const BEARER_STRATEGY = 'frontdoor-bearer';

/**
 * The verify step of the bearer strategy: `Authorization: Bearer <token>` strictly, then the verifier.
 * No header → 401 `Bearer`; a malformed header or a token failing any check → 401 `Bearer error="invalid_token"`
 * (the same answer whatever failed); JWKS unreachable with the key not cached → 503 with `Retry-After`.
 */
export function bearerValidator(verifier: UserTokenVerifier, retryAfterS: number): (request: FastifyRequest) => Promise<Principal> {
  return async (request) => {
    const token = bearerTokenOf(request.headers.authorization);
    if (token === undefined) throw bearerMissing();
    if (token === null) throw bearerInvalid(invalid('malformed Authorization header'));
    try {
      return await verifier.verify(token);
    } catch (error) {
      if (!isAuthFailure(error)) throw error;
      throw error.kind === 'unavailable' ? credentialsUnverifiable('identity provider', retryAfterS, error) : bearerInvalid(error);
    }
  };
}

/**
 * The guard's fast path for user tokens: the principal of `Authorization: Bearer <token>` (this exact spelling)
 * when the verifier accepted that token before and it has not expired. A remembered token passed `bearerTokenOf`'s
 * grammar when it was verified, so the header matches it too; any other spelling takes the strategy's path.
 */
export function rememberedBearer(verifier: UserTokenVerifier): RememberedCredential {
  return (request) => {
    const header = request.headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) return undefined;
    return verifier.remembered(header.slice(7));
  };
}
