import { isUpstreamError } from '@frontdoor/errors';
import { fullJitterDelay } from './backoff';
import { RetryBudget } from './retry-budget';
import { isCircuitOpen } from './upstream.errors';
import type { HttpMethod, UpstreamResponse } from './upstream.types';

/** Retry settings of one upstream. Only idempotent methods (GET, HEAD) are ever retried. */
export interface RetryOptions {
  /** Attempts per call, the first one included; 1 disables retries. Default 3. */
  readonly maxAttempts?: number;
  /** Backoff base, ms: retry n waits a random time below min(maxDelayMs, baseDelayMs × 2^(n-1)). Default 50. */
  readonly baseDelayMs?: number;
  /** Backoff ceiling, ms. Default 1000. */
  readonly maxDelayMs?: number;
  /** Retries allowed as a percentage of recent calls to this upstream (the retry budget). Default 20. */
  readonly budgetPercent?: number;
  /** Retries a quiet upstream may spend before the percentage applies. Default 10. */
  readonly budgetReserve?: number;
}

export const DEFAULT_RETRY_ATTEMPTS = 3;
export const DEFAULT_RETRY_BASE_MS = 50;
export const DEFAULT_RETRY_MAX_DELAY_MS = 1000;
export const DEFAULT_RETRY_BUDGET_PERCENT = 20;
export const DEFAULT_RETRY_BUDGET_RESERVE = 10;
/** A retry is only worth making when at least this much of the call's deadline is left after the backoff, ms. */
export const MIN_RETRY_WINDOW_MS = 50;

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD']);

/** GET and HEAD: the methods a retry can never turn into a second effect. POST, PUT, PATCH, DELETE never are. */
export function isIdempotent(method: HttpMethod): boolean {
  return IDEMPOTENT.has(method);
}

/**
 * A failure worth another attempt: no answer at all (refused, reset before the headers) — never a timeout (the
 * deadline is spent) nor an open circuit (the breaker already decided).
 */
export function isRetryableError(error: unknown): boolean {
  return isUpstreamError(error) && error.failure === 'unavailable' && !isCircuitOpen(error);
}

/** 500, 502, 504, and 503 without `Retry-After`: an upstream that says when to come back, or 429, is not hammered. */
export function isRetryableResponse(response: UpstreamResponse): boolean {
  const { status } = response;
  if (status === 500 || status === 502 || status === 504) return true;
  return status === 503 && response.headers['retry-after'] === undefined;
}

/**
 * The retry decisions of one upstream, built once at start: how many attempts, the backoff (full jitter) and the
 * retry budget shared by every call to the upstream. The attempt loop itself lives in `UpstreamClient`.
 */
export class RetryPolicy {
  readonly maxAttempts: number;
  readonly budget: RetryBudget;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    options: RetryOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_RETRY_ATTEMPTS;
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_RETRY_BASE_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS;
    if (!(Number.isInteger(this.maxAttempts) && this.maxAttempts >= 1)) throw new RangeError('maxAttempts must be an integer >= 1');
    if (!(this.baseDelayMs >= 0 && this.maxDelayMs >= 0)) throw new RangeError('retry delays must be >= 0');
    const percent = options.budgetPercent ?? DEFAULT_RETRY_BUDGET_PERCENT;
    this.budget = new RetryBudget(percent / 100, options.budgetReserve ?? DEFAULT_RETRY_BUDGET_RESERVE);
  }

  /**
   * The backoff before retry number `retry` (1 = the second attempt), or -1 when no retry is made: attempts used up,
   * not enough of the deadline left (`remainingMs`) after the backoff, or the budget spent (checked last, so a
   * refused retry costs no token).
   */
  delayBefore(retry: number, remainingMs: number): number {
    if (retry >= this.maxAttempts) return -1;
    const delay = fullJitterDelay(retry, this.baseDelayMs, this.maxDelayMs, this.random);
    if (remainingMs - delay < MIN_RETRY_WINDOW_MS) return -1;
    return this.budget.tryWithdraw() ? delay : -1;
  }
}
