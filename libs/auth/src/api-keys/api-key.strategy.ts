import type { Principal } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import type { RememberedCredential } from '../authentication.guard';
import { apiKeyRefused, credentialsUnverifiable, isAuthFailure } from '../auth.errors';
import type { ApiKeyVerifier } from './api-key.verifier';

/** Passport strategy name prefix of partner API keys; each app instance adds its own suffix. */
export const API_KEY_STRATEGY = 'frontdoor-api-key';

/**
 * The verify step of the API key strategy: the `X-API-Key` header only (a key in the query string is ignored: it
 * would end up in logs and referrers), then the verifier. Missing, malformed, unknown or revoked → 401 with
 * `WWW-Authenticate: ApiKey header="X-API-Key"`, the same answer for all; store unreachable → 503.
 */
export function apiKeyValidator(verifier: ApiKeyVerifier, retryAfterS = 1): (request: FastifyRequest) => Promise<Principal> {
  return async (request) => {
    const presented = request.headers['x-api-key'];
    if (presented === undefined) throw apiKeyRefused();
    try {
      return await verifier.verify(presented);
    } catch (error) {
      if (!isAuthFailure(error)) throw error;
      throw error.kind === 'unavailable' ? credentialsUnverifiable('API key store', retryAfterS, error) : apiKeyRefused(error);
    }
  };
}

/** The guard's fast path for partner keys: the principal of an `X-API-Key` the store holds in memory, checked as `verify` checks it. */
export function rememberedApiKey(verifier: ApiKeyVerifier): RememberedCredential {
  return (request) => verifier.remembered(request.headers['x-api-key']);
}
