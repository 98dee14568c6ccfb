import type { CorsPolicy } from '@frontdoor/platform';

/**
 * The browser app's CORS: exactly the CORS_ORIGINS, with credentials; the methods web-bff serves; the request headers
 * it reads (token, JSON bodies, the client's request id, idempotency keys: POST /api/sales/orders honours them); and
 * the response headers scripts need (request id, rate-limit state, degraded answers, replayed answers). Preflights are
 * cached by the browser for 10 minutes.
 */
export function webCorsPolicy(origins: readonly string[]): CorsPolicy {
  return {
    origins,
    methods: ['GET', 'HEAD', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'Idempotency-Key'],
    exposedHeaders: ['X-Request-Id', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After', 'X-Degraded', 'Idempotent-Replayed'],
    maxAgeS: 600,
  };
}
