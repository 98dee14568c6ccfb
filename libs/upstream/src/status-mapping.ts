import { ProblemError, UpstreamError, slugForStatus } from '@frontdoor/errors';
import { safeUpstreamDetail } from './upstream-detail';
import type { UpstreamResponse } from './upstream.types';

/** Largest upstream `Retry-After` (seconds) passed on to clients; anything else becomes `'1'`. */
export const MAX_RETRY_AFTER_S = 3600;

/**
 * The `Retry-After` to send when an upstream is overloaded: the upstream's own value when it is a plain integer of
 * seconds from 1 to {@link MAX_RETRY_AFTER_S}, else `'1'` (HTTP dates, 0, huge or repeated values are not trusted).
 */
export function retryAfterFrom(value: string | string[] | undefined): string {
  if (typeof value !== 'string' || !/^\s*\d{1,4}\s*$/.test(value)) return '1';
  const seconds = Number(value);
  return seconds >= 1 && seconds <= MAX_RETRY_AFTER_S ? String(seconds) : '1';
}

const PASSED_ON = new Set([400, 409, 422]);

/**
 * What a non-2xx upstream status means for our client, or `undefined` for a 2xx:
 * 3xx → 502 (redirects are never followed); 404 → 404 `not-found`; 429/503 → 503 `overloaded` with `Retry-After`;
 * 400/409/422 → the same status with a generic detail, extended with the upstream problem's own `detail` only when
 * `safeUpstreamDetail` vouches for it (short, plain, naming no host/URL/path); any other status → 502.
 */
export function problemForUpstreamStatus(
  upstream: string,
  response: UpstreamResponse,
): ProblemError | undefined {
  const { status } = response;
  if (status >= 200 && status < 300) return undefined;
  const cause = new Error(`${upstream} answered with status ${status}`);
  if (status === 404) return new ProblemError('not-found', `${upstream} has no such resource`, { cause });
  if (status === 429 || status === 503) {
    return new UpstreamError(upstream, 'overloaded', `${upstream} is overloaded`, {
      headers: { 'Retry-After': retryAfterFrom(response.headers['retry-after']) },
      cause,
    });
  }
  if (PASSED_ON.has(status)) {
    const detail = safeUpstreamDetail(response);
    const text = detail === undefined ? `${upstream} rejected the request` : `${upstream} rejected the request: ${detail}`;
    return new ProblemError(slugForStatus(status), text, { cause });
  }
  if (status >= 300 && status < 400) {
    return new UpstreamError(upstream, 'bad-response', `${upstream} answered with a redirect`, { cause });
  }
  const detail =
    status >= 500 ? `${upstream} answered with an error` : `${upstream} answered with an unexpected status`;
  return new UpstreamError(upstream, 'bad-response', detail, { cause });
}
