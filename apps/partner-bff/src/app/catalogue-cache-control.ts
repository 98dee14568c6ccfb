import { Header } from '@nestjs/common';

/**
 * The catalogue is the same for every partner, but only for partners: it is answered to an `X-API-Key`, which
 * — not being `Authorization` — does not keep a shared cache from storing the answer (RFC 9111 §3.5) and
 * serving it to anyone, key or not, with the first partner's `RateLimit-*` headers. `private` keeps shared
 * caches out; `no-cache` makes the partner's own cache ask again (stock moves) rather than guess a freshness.
 */
export const CATALOGUE_CACHE_CONTROL = 'private, no-cache';

/** Sets `Cache-Control: private, no-cache` on the handler's answers (a degraded answer's no-store wins). */
export const PrivateNoCache = () => Header('Cache-Control', CATALOGUE_CACHE_CONTROL);

/** The response header as the OpenAPI documents declare it. */
export const PRIVATE_NO_CACHE_HEADER = {
  'Cache-Control': {
    description:
      '`private, no-cache`: only your own cache may keep the answer, and it asks again before using it.',
    schema: { type: 'string' },
  },
} as const;
