import {
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  type FailureReason,
} from 'cockatiel';
import { isUpstreamError } from '@frontdoor/errors';
import { outcomeOfError, outcomeOfStatus, type CallOutcome } from './call-trace.port';
import type { CallerSignal } from './caller-signal.port';
import { UpstreamAbortedError, isUpstreamAbortedError, upstreamCircuitOpen } from './upstream.errors';

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

/**
 * One change of an upstream's circuit, as it happens (never per call): for the log. `open` says why: `failures`
 * consecutive failed attempts (`after: 'failures'`) or a failed half-open trial (`after: 'trial'`), with the last
 * failure as a bounded outcome (`timeout`, `unavailable`, `5xx` + its `status`…), never an error message or a host.
 */
export type BreakerTransition =
  | {
      readonly upstream: string;
      readonly state: 'open';
      readonly after: 'failures' | 'trial';
      /** The consecutive failures that open the circuit (the setting). */
      readonly failures: number;
      readonly lastFailure: CallOutcome;
      /** The status of the last failure when it was a 5xx answer. */
      readonly status?: number;
      /** How long calls fail fast before a trial call is let through, ms. */
      readonly halfOpenAfterMs: number;
    }
  | { readonly upstream: string; readonly state: 'half-open' | 'closed' };

/** The last failure that opened the circuit: a thrown error or a 5xx answer (cockatiel's `FailureReason`). */
function lastFailureOf(reason: FailureReason<unknown> | { isolated: true }): LastFailure {
  if ('error' in reason) return { lastFailure: outcomeOfError(reason.error) };
  const status = (reason as { value?: { status?: unknown } }).value?.status;
  if (typeof status !== 'number') return { lastFailure: 'error' };
  return { lastFailure: outcomeOfStatus(status), status };
}

type LastFailure = { readonly lastFailure: CallOutcome; readonly status?: number };

/** A 5xx answer counts against the upstream like a transport failure (it is still returned to the caller). */
function isFailedResponse(result: unknown): boolean {
  const status = (result as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 500;
}

/**
 * The circuit breaker of one upstream: cockatiel's `CircuitBreakerPolicy` with a `ConsecutiveBreaker`, built once.
 *
 * - Failures: every `UpstreamError` of an attempt (refused, reset, timeout, cut off, invalid HTTP) and every 5xx
 *   answer. 4xx answers, bodies that do not decode and caller cancellations are not the upstream's fault, nor is a
 *   timeout at a route's own limit, shorter than the upstream's deadline (`excuse`).
 * - Open: calls fail at once with 503 and `Retry-After` = the seconds left until the trial (at least 1).
 * - Half-open: exactly ONE trial call goes through; cockatiel would queue concurrent callers behind it, here they
 *   are refused at once like in the open state (opossum lets them all through, nodeshift/opossum#819).
 * - A trial is not cancelled with its caller: the caller leaves at once (`UpstreamAbortedError`), the trial runs on
 *   to its answer within its deadline, and that answer closes or reopens the circuit. Cancelled, it would prove
 *   nothing and keep the circuit open 10 s more, during an incident, when impatient clients are the rule. A trial
 *   that reports an abort all the same counts as failed (cockatiel would count it as a success and close the circuit).
 */
export class UpstreamBreaker {
  private readonly policy: CircuitBreakerPolicy;
  private openedAt = 0;
  private readonly halfOpenAfterMs: number;
  /** Set by cockatiel's half-open event, which it emits synchronously just before it invokes the trial. */
  private trialStarting = false;
  private readonly listeners: ((transition: BreakerTransition) => void)[] = [];
  /** The state the listeners were last told of (cockatiel has changed its own by the time its events fire). */
  private told: BreakerState = 'closed';
  /** Failures of attempts that were not the upstream's to avoid (see `excuse`); weak: the errors go on to the caller. */
  private readonly excused = new WeakSet<object>();

  constructor(
    private readonly upstream: string,
    options: BreakerOptions = {},
  ) {
    const failures = options.failures ?? DEFAULT_BREAKER_FAILURES;
    this.halfOpenAfterMs = options.halfOpenAfterMs ?? DEFAULT_BREAKER_HALF_OPEN_AFTER_MS;
    if (!(Number.isInteger(failures) && failures >= 1)) throw new RangeError('breaker failures must be an integer >= 1');
    if (!(this.halfOpenAfterMs >= 1)) throw new RangeError('breaker halfOpenAfterMs must be >= 1');
    // a trial proves nothing when it is cut short, so there an excused timeout and an abort count as failures
    const counted = handleWhen((error) =>
      isUpstreamError(error)
        ? !this.excused.has(error) || this.policy.state === CircuitState.HalfOpen
        : isUpstreamAbortedError(error) && this.policy.state === CircuitState.HalfOpen,
    ).orWhenResult(isFailedResponse);
    this.policy = circuitBreaker(counted, { breaker: new ConsecutiveBreaker(failures), halfOpenAfter: this.halfOpenAfterMs });
    this.policy.onBreak((reason) => {
      this.openedAt = Date.now();
      const after = this.told === 'half-open' ? 'trial' : 'failures';
      const { halfOpenAfterMs } = this;
      this.tell({ upstream, state: 'open', after, failures, ...lastFailureOf(reason), halfOpenAfterMs });
    });
    this.policy.onHalfOpen(() => {
      this.trialStarting = true;
      this.tell({ upstream, state: 'half-open' });
    });
    this.policy.onReset(() => this.tell({ upstream, state: 'closed' }));
  }

  /**
   * `listener` is told of every change of the circuit, once, as it happens: opened (after `failures` consecutive
   * failures, or a failed trial), half-open (the trial call starts: cockatiel lets one through at the first call
   * after `halfOpenAfterMs`, not at that time), closed (the trial succeeded). Synchronous, never per call; a
   * listener that throws is ignored.
   */
  onTransition(listener: (transition: BreakerTransition) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Marks `error`, which an attempt is about to throw, as no evidence against the upstream: a timeout at a route's
   * own limit, shorter than the upstream's deadline (`UpstreamRequest.routeDeadline`). Counted, such timeouts let one
   * route's 800 ms limit open the circuit of an upstream that answers every other route within its 3 s, and
   * anyone polling that route could cut the upstream off for everyone (Kong's passive health checks leave timeouts
   * uncounted by default). In the closed state it is neither a failure nor a success; a half-open trial that ends
   * with it has failed (it proved nothing).
   */
  excuse(error: object): void {
    this.excused.add(error);
  }

  private tell(transition: BreakerTransition): void {
    this.told = transition.state;
    for (const listener of this.listeners) {
      try {
        listener(transition);
      } catch {
        // a listener (the log) must not break the circuit's own bookkeeping, which runs in these events
      }
    }
  }

  /**
   * `open` until its time is up, then `half-open` (the next call is the trial) until the trial decides. Cockatiel
   * stays open until that next call: read from it alone, the state (`upstream_breaker_state`) would say open for as
   * long as nobody called a healed upstream, and an alert on it would fire on.
   */
  get state(): BreakerState {
    switch (this.policy.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      default:
        return Date.now() - this.openedAt >= this.halfOpenAfterMs ? 'half-open' : 'open';
    }
  }

  /**
   * Runs one attempt through the breaker. `attempt` is told whether it is the half-open trial; a trial must not
   * cancel its exchange with `caller` (see the class): when `caller` aborts during the trial, this rejects at once
   * while the trial runs on.
   * @throws UpstreamError `unavailable` (503, `Retry-After`) while open or while the half-open trial is under way;
   *   otherwise whatever `attempt` throws
   * @throws UpstreamAbortedError when `caller` aborts during the trial
   */
  async execute<T>(attempt: (trial: boolean) => Promise<T>, caller?: CallerSignal): Promise<T> {
    if (this.policy.state === CircuitState.HalfOpen) throw this.openError();
    let trial = false;
    try {
      const run = this.policy.execute(() => {
        trial = this.trialStarting;
        this.trialStarting = false;
        return attempt(trial);
      });
      return await (trial && caller !== undefined ? this.untilCallerLeaves(run, caller) : run);
    } catch (error) {
      if (isBrokenCircuitError(error)) throw this.openError();
      throw error;
    }
  }

  /** The trial's outcome, or an `UpstreamAbortedError` as soon as `caller` aborts (the trial is left running). */
  private untilCallerLeaves<T>(run: Promise<T>, caller: CallerSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new UpstreamAbortedError(this.upstream, caller.reason));
      if (caller.aborted) onAbort();
      else caller.addEventListener('abort', onAbort, { once: true });
      // both outcomes are handled: a trial that fails after its caller left is no unhandled rejection
      run.then(
        (value) => {
          caller.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          caller.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  private openError() {
    const leftMs = this.openedAt + this.halfOpenAfterMs - Date.now();
    return upstreamCircuitOpen(this.upstream, Math.max(1, Math.ceil(leftMs / 1000)));
  }
}
