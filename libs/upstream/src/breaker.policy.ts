import { CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, isBrokenCircuitError } from 'cockatiel';
import { isUpstreamError } from '@frontdoor/errors';
import { isUpstreamAbortedError, upstreamCircuitOpen } from './upstream.errors';

/** Circuit breaker settings of one upstream. */
export interface BreakerOptions {
  /** Consecutive failed attempts (a retry is an attempt) that open the circuit. Default 5 (PRODUCT.md). */
  readonly failures?: number;
  /** How long the circuit stays open before one trial call is let through, ms. Default 10000 (PRODUCT.md). */
  readonly halfOpenAfterMs?: number;
}

export const DEFAULT_BREAKER_FAILURES = 5;
export const DEFAULT_BREAKER_HALF_OPEN_AFTER_MS = 10_000;

export type BreakerState = 'closed' | 'open' | 'half-open';

/** A 5xx answer counts against the upstream like a transport failure (it is still returned to the caller). */
function isFailedResponse(result: unknown): boolean {
  const status = (result as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 500;
}

/**
 * The circuit breaker of one upstream: cockatiel's `CircuitBreakerPolicy` with a `ConsecutiveBreaker`, built once.
 *
 * - Failures: every `UpstreamError` of an attempt (refused, reset, timeout, cut off, invalid HTTP) and every 5xx
 *   answer. 4xx answers, bodies that do not decode and caller cancellations are not the upstream's fault.
 * - Open: calls fail at once with 503 and `Retry-After` = the seconds left until the trial (at least 1).
 * - Half-open: exactly ONE trial call goes through; cockatiel would queue concurrent callers behind it, here they
 *   are refused at once like in the open state (opossum lets them all through, nodeshift/opossum#819). A trial that
 *   the caller cancels counts as failed (cockatiel would count it as a success and close the circuit).
 */
export class UpstreamBreaker {
  private readonly policy: CircuitBreakerPolicy;
  private openedAt = 0;
  private readonly halfOpenAfterMs: number;

  constructor(
    private readonly upstream: string,
    options: BreakerOptions = {},
  ) {
    const failures = options.failures ?? DEFAULT_BREAKER_FAILURES;
    this.halfOpenAfterMs = options.halfOpenAfterMs ?? DEFAULT_BREAKER_HALF_OPEN_AFTER_MS;
    if (!(Number.isInteger(failures) && failures >= 1)) throw new RangeError('breaker failures must be an integer >= 1');
    if (!(this.halfOpenAfterMs >= 1)) throw new RangeError('breaker halfOpenAfterMs must be >= 1');
    const counted = handleWhen(
      (error) => isUpstreamError(error) || (isUpstreamAbortedError(error) && this.policy.state === CircuitState.HalfOpen),
    ).orWhenResult(isFailedResponse);
    this.policy = circuitBreaker(counted, { breaker: new ConsecutiveBreaker(failures), halfOpenAfter: this.halfOpenAfterMs });
    this.policy.onBreak(() => (this.openedAt = Date.now()));
  }

  get state(): BreakerState {
    switch (this.policy.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      default:
        return 'open';
    }
  }

  /**
   * Runs one attempt through the breaker.
   * @throws UpstreamError `unavailable` (503, `Retry-After`) while open or while the half-open trial is under way;
   *   otherwise whatever `attempt` throws
   */
  async execute<T>(attempt: () => Promise<T>): Promise<T> {
    if (this.policy.state === CircuitState.HalfOpen) throw this.openError();
    try {
      return await this.policy.execute(attempt);
    } catch (error) {
      if (isBrokenCircuitError(error)) throw this.openError();
      throw error;
    }
  }

  private openError() {
    const leftMs = this.openedAt + this.halfOpenAfterMs - Date.now();
    return upstreamCircuitOpen(this.upstream, Math.max(1, Math.ceil(leftMs / 1000)));
  }
}
