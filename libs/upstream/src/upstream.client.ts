import { Pool, type Dispatcher } from 'undici';
import { isUpstreamError } from '@frontdoor/errors';
import { UpstreamBreaker, type BreakerState, type BreakerTransition } from './breaker.policy';
import { ConcurrencyBudget } from './concurrency.policy';
import { decodeResponse } from './decode-response';
import { InstanceBalancer, type InstanceHealth, type UpstreamInstance } from './instance.balancer';
import { RetryPolicy, isIdempotent, isRetryableError, isRetryableResponse } from './retry.policy';
import { UpstreamAbortedError, isNeverSent, upstreamOverBudget } from './upstream.errors';
import { ExchangeSignal } from './exchange.signal';
import type { CallerSignal } from './caller-signal.port';
import { exchange, type ExchangeLimits } from './upstream.exchange';
import type { IdentitySigner } from './identity.port';
import { appendQuery } from './query-string';
import { outcomeOfError, outcomeOfStatus, type CallSpan } from './call-trace.port';
import {
  DEFAULT_CONNECTIONS,
  DEFAULT_DEADLINE_MS,
  DEFAULT_EJECT_AFTER_FAILURES,
  DEFAULT_MAX_CONCURRENT,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_PROBE_INTERVAL_MS,
  DEFAULT_PROBE_TIMEOUT_MS,
  type UpstreamOptions,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream.types';

/**
 * undici's own header/body timeouts are only a backstop behind the per-request deadline timer (undici's timers are
 * coarse); they sit this far behind the deadline so the deadline always wins.
 */
const BACKSTOP_MARGIN_MS = 1000;

/** What an upstream's resilience state looks like now (tests, readiness, metrics). */
export interface UpstreamStatus {
  readonly breaker: BreakerState;
  readonly inFlight: number;
  readonly instances: readonly InstanceHealth[];
  /** Retries made since start (attempts after the first of a call). */
  readonly retries: number;
  /** Instances taken out of the rotation since start (outlier detection; re-admissions not subtracted). */
  readonly ejections: number;
}

/** Waits `ms`, or less when `signal` aborts first (the retry loop then stops instead of finishing its backoff). */
function backoff(ms: number, signal: CallerSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * The call's headers with its span's trace context (W3C `traceparent`, and `tracestate` when the client sent one).
 * Copies here and below use `Object.assign({}, …)`, never `{ ...a, b }` (the lint rule in eslint.config.mjs says why).
 */

function checkPath(path: string): void {
  if (path.charCodeAt(0) !== 47 /* / */ || path.charCodeAt(1) === 47) {
    throw new Error(
      `upstream path must start with a single '/' (use buildPath): ${JSON.stringify(path.slice(0, 40))}`,
    );
  }
}

function checkBaseUrl(name: string, url: URL): void {
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.search ||
    url.hash ||
    url.username ||
    url.password
  ) {
    throw new Error(`upstream ${name}: base URLs must be http(s) without query, fragment or credentials`);
  }
}

/**
 * The client of one named upstream: one undici `Pool` per instance URL (keep-alive, pipelining 1) and the
 * upstream's policy stack, all built once here. A call runs, outermost first:
 *
 *   concurrency budget (503 at once past it) → attempts: retry loop (GET/HEAD; other methods only when the
 *   connection was refused; full-jitter backoff, retry budget, all within the call's deadline) → circuit breaker (503 + Retry-After while open) → instance
 *   (round-robin over healthy instances, passive ejection) → HTTP exchange bounded by the deadline left.
 *
 * A call allocates one copy of its headers (trace context and identity token added; none when neither applies), and
 * per attempt its request options, one timer and one abort signal (see `ExchangeSignal`).
 * Redirects are never followed. Errors name the upstream (`options.name`), never its host; the original error is
 * their `cause`, for the log only. Ejected instances are probed (`GET <healthPath>`) on an unref'ed timer until
 * `close()`.
 */
export class UpstreamClient {
  readonly name: string;
  private readonly balancer: InstanceBalancer;
  private readonly breaker: UpstreamBreaker;
  private readonly retry: RetryPolicy;
  private readonly budget: ConcurrencyBudget;
  private readonly probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  /** Retries made since start: counted where a retry is made, never on a first attempt. */
  private retries = 0;
  private readonly limits: ExchangeLimits;
  private readonly defaultDeadlineMs: number;
  private readonly backstopMs: number;
  private readonly identitySigner: IdentitySigner | undefined;
  private readonly healthPath: string;
  private closing: Promise<void> | undefined;

  /**
   * @throws Error when `urls` is empty or a URL is not http(s) without query/fragment/credentials
   * @throws RangeError for a policy setting out of range (see the option types)
   */
  constructor(options: UpstreamOptions) {
    this.name = options.name;
    this.defaultDeadlineMs = options.defaultDeadlineMs ?? DEFAULT_DEADLINE_MS;
    this.backstopMs = this.defaultDeadlineMs + BACKSTOP_MARGIN_MS;
    this.identitySigner = options.identitySigner;
    this.healthPath = options.healthPath ?? '/health';
    if (!this.healthPath.startsWith('/')) throw new RangeError(`upstream ${options.name}: healthPath must start with /`);
    const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.limits = Object.freeze({ name: options.name, maxResponseBytes });
    if (options.urls.length === 0) throw new Error(`upstream ${options.name} has no URL`);
    for (const url of options.urls) checkBaseUrl(options.name, url);
    const poolOptions: Pool.Options = {
      connections: options.connections ?? DEFAULT_CONNECTIONS,
      pipelining: 1,
      headersTimeout: this.backstopMs,
      bodyTimeout: this.backstopMs,
      maxResponseSize: maxResponseBytes,
    };
    // the Pool is bound to the origin: only the path of a call varies, so no input can pick another host
    const instances: UpstreamInstance[] = options.urls.map((url) => ({
      pool: new Pool(url.origin, poolOptions),
      prefix: url.pathname.replace(/\/+$/, ''),
      failures: 0,
      ejected: false,
    }));
    this.balancer = new InstanceBalancer(instances, options.ejectAfterFailures ?? DEFAULT_EJECT_AFTER_FAILURES);
    this.breaker = new UpstreamBreaker(options.name, options.breaker);
    this.retry = new RetryPolicy(options.retry);
    this.budget = new ConcurrencyBudget(options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
    const probeIntervalMs = options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS;
    if (instances.length > 1 && probeIntervalMs > 0) {
      this.probeTimer = setInterval(() => void this.probeEjected(), probeIntervalMs);
      this.probeTimer.unref();
    }
  }

  /**
   * The call through the whole policy stack (see the class): resolves for ANY status (3xx/4xx/5xx included) once
   * the whole body (≤ `maxResponseBytes`) of the last attempt is read. GET and HEAD are retried on no answer, 500,
   * 502, 504 and 503 without `Retry-After`; other methods only when their request never left (connection refused,
   * e.g. one instance of several down), so they are never received twice.
   * @throws UpstreamError `overloaded` (503, `Retry-After: 1`): `maxConcurrent` calls already in flight; nothing sent
   * @throws UpstreamError `unavailable` (503): the circuit is open (`Retry-After` = seconds until the trial call), or
   *   refused/reset/DNS/socket error before a complete response
   * @throws UpstreamError `timeout` (504): the deadline (`deadlineMs` ?? `defaultDeadlineMs`) passed, whatever phase
   * @throws UpstreamError `bad-response` (502): body over the cap (by content-length or while streaming), cut off
   *   mid-body, or invalid HTTP
   * @throws UpstreamAbortedError when `req.signal` aborted before the deadline fired, or before the call (then nothing
   *   is sent, no attempt is counted by the breaker or the balancer, and the call is not traced)
   * @throws Error (programming error) for a path not starting with a single `/` or a non-positive deadline
   */
  async request(req: UpstreamRequest): Promise<UpstreamResponse> {
    return this.call(req, asIs);
  }

  /**
   * `request()` and `decode()` in one: the answer and its body decoded. What the trace and the metrics record of the
   * call then includes the decoding: a 2xx whose body cannot be decoded is `bad-response` (it is answered 502), not
   * `2xx`. Throws what `request()` and `decode()` throw.
   */
  async requestDecoded<T = unknown>(
    req: UpstreamRequest,
    decode?: { readonly arrays?: readonly string[] },
  ): Promise<{ readonly response: UpstreamResponse; readonly value: T }> {
    return this.call(req, (response) => ({ response, value: this.decode<T>(response, decode) }));
  }

  /**
   * The call (see `request()`), then `settle` on its answer, after the budget is released; the call's span ends
   * once `settle` has decided: with the status class, or `bad-response` when `settle` refused a 2xx answer (an
   * undecodable body) with an UpstreamError.
   */
  private async call<T>(req: UpstreamRequest, settle: (response: UpstreamResponse) => T): Promise<T> {
    checkPath(req.path);
    let deadlineMs = req.deadlineMs ?? this.defaultDeadlineMs;
    if (!(deadlineMs > 0)) throw new Error(`upstream ${this.name}: deadlineMs must be positive`);
    if (req.spentMs !== undefined && req.spentMs > 0) deadlineMs = Math.max(1, deadlineMs - req.spentMs);
    // the caller is gone already (e.g. the second stage of an aggregation): the call is not made at all — in
    // particular it cannot take a half-open breaker's one trial only to fail it
    if (req.signal?.aborted) throw new UpstreamAbortedError(this.name, req.signal.reason);
    const span = req.trace?.begin(this.name);
    let response: UpstreamResponse;
    try {
      if (!this.budget.tryAcquire()) throw upstreamOverBudget(this.name, this.budget.limit);
      try {
        response = await this.attempts(req, this.headersOf(req, span), deadlineMs);
      } finally {
        this.budget.release();
      }
    } catch (error) {
      span?.end(outcomeOfError(error));
      throw error;
    }
    let settled: T;
    try {
      settled = settle(response);
    } catch (error) {
      const undecodable = isUpstreamError(error) && response.status >= 200 && response.status < 300;
      span?.end(undecodable ? 'bad-response' : outcomeOfStatus(response.status), response.status);
      throw error;
    }
    span?.end(outcomeOfStatus(response.status), response.status);
    return settled;
  }

  /**
   * The retry loop: every attempt through the breaker, each bounded by what is left of the call's deadline. GET and
   * HEAD are retried on no answer and on the retryable statuses; other methods only when their request never left
   * (connection refused: another instance may take it), never after it may have been read.
   */
  private async attempts(req: UpstreamRequest, headers: UpstreamRequest['headers'], deadlineMs: number): Promise<UpstreamResponse> {
    const path = appendQuery(req.path, req.query);
    if (this.retry.maxAttempts <= 1) return this.breaker.execute((trial) => this.attempt(req, path, headers, deadlineMs, deadlineMs, trial), req.signal);
    const idempotent = isIdempotent(req.method);
    this.retry.budget.deposit();
    const deadlineAt = performance.now() + deadlineMs;
    for (let attempt = 1; ; attempt++) {
      const leftMs = attempt === 1 ? deadlineMs : Math.max(1, deadlineAt - performance.now());
      let response: UpstreamResponse | undefined;
      let failure: unknown;
      try {
        response = await this.breaker.execute((trial) => this.attempt(req, path, headers, leftMs, deadlineMs, trial), req.signal);
        if (!idempotent || !isRetryableResponse(response)) return response;
      } catch (error) {
        if (!(idempotent ? isRetryableError(error) : isNeverSent(error))) throw error;
        failure = error;
      }
      // the caller is gone: no further attempt, nor a retry-budget token spent on one
      if (req.signal?.aborted) throw new UpstreamAbortedError(this.name, req.signal.reason);
      const delayMs = this.retry.delayBefore(attempt, deadlineAt - performance.now());
      if (delayMs < 0) {
        if (response !== undefined) return response;
        throw failure;
      }
      if (delayMs > 0) await backoff(delayMs, req.signal);
      if (req.signal?.aborted) throw new UpstreamAbortedError(this.name, req.signal.reason);
      this.retries += 1;
    }
  }

  /**
   * One HTTP exchange with the next instance, whose health it reports (transport failure or 5xx = failed). The
   * breaker's half-open `trial` is not cancelled with its caller (the breaker lets the caller leave): its answer
   * decides the circuit.
   */
  private async attempt(
    req: UpstreamRequest,
    path: string,
    headers: UpstreamRequest['headers'],
    timerMs: number,
    deadlineMs: number,
    trial: boolean,
  ): Promise<UpstreamResponse> {
    const instance = this.balancer.pick();
    // only an attempt that outlives the default deadline needs its own backstop; undefined keeps the pool's
    const backstopMs = timerMs + BACKSTOP_MARGIN_MS > this.backstopMs ? timerMs + BACKSTOP_MARGIN_MS : undefined;
    const signal = new ExchangeSignal();
    const options: Dispatcher.DispatchOptions = {
      method: req.method,
      path: instance.prefix + path,
      headers,
      body: req.body,
      headersTimeout: backstopMs,
      bodyTimeout: backstopMs,
    };
    try {
      const response = await exchange(instance.pool, options, signal, this.limits, timerMs, trial ? undefined : req.signal, deadlineMs);
      if (response.status >= 500) this.balancer.failed(instance);
      else this.balancer.succeeded(instance);
      return response;
    } catch (error) {
      // a caller abort (UpstreamAbortedError, no UpstreamError) says nothing of the instance: it is never ejected for it;
      // nor does a timeout at a route's own limit, tighter than the upstream's deadline (`routeDeadline`)
      if (isUpstreamError(error)) {
        if (req.routeDeadline === true && error.failure === 'timeout' && timerMs < this.defaultDeadlineMs) this.breaker.excuse(error);
        else this.balancer.failed(instance);
      }
      throw error;
    }
  }

  /**
   * What every attempt of a call sends: the caller's headers, plus the call span's `traceparent` (and `tracestate`)
   * and, when the call carries an identity, the gateway's identity token for this upstream. One copy per call, none
   * when there is nothing to add; the caller's object is never changed.
   */
  private headersOf(req: UpstreamRequest, span: CallSpan | undefined): UpstreamRequest['headers'] {
    const identity = req.identity;
    const signer = identity === undefined ? undefined : this.identitySigner;
    const traceparent = span?.traceparent;
    if (signer === undefined && !traceparent) return req.headers;
    const headers: Record<string, string> = Object.assign({}, req.headers);
    if (traceparent) {
      headers['traceparent'] = traceparent;
      if (span?.tracestate !== undefined) headers['tracestate'] = span.tracestate;
    }
    if (signer !== undefined && identity !== undefined) headers['authorization'] = signer.authorizationFor(identity, this.name);
    return headers;
  }

  /**
   * `request()` plus status mapping and decoding: 2xx → the JSON or XML body decoded by the translator (within
   * `maxResponseBytes`; `decode.arrays` names XML elements that are always arrays), `undefined` for an empty body.
   * @throws ProblemError `not-found` (404) on 404; ProblemError 400/409/422 with a generic detail on those statuses
   * @throws UpstreamError `overloaded` (503, with `Retry-After`) on 429/503; `bad-response` (502) on 3xx, other
   *   4xx, 5xx and undecodable bodies; plus everything `request()` throws
   */
  async fetch<T = unknown>(
    req: UpstreamRequest,
    decode?: { readonly arrays?: readonly string[] },
  ): Promise<T> {
    return this.call(req, (response) => this.decode<T>(response, decode));
  }

  /**
   * The second half of `fetch()` for an answer obtained with `request()` (or from a cache): status mapping, then
   * the body decoded within `maxResponseBytes`. Throws exactly what `fetch()` throws for that answer.
   */
  decode<T = unknown>(response: UpstreamResponse, decode?: { readonly arrays?: readonly string[] }): T {
    return decodeResponse(this.name, response, this.limits.maxResponseBytes, decode?.arrays) as T;
  }

  /**
   * `GET <prefix><healthPath>` on every instance, each within `timeoutMs` (default 500); true when at least one answers
   * 2xx. Never throws.
   */
  async probe(timeoutMs = DEFAULT_PROBE_TIMEOUT_MS): Promise<boolean> {
    const answers = await Promise.all(this.balancer.instances.map((instance) => this.probeOne(instance, timeoutMs)));
    return answers.includes(true);
  }

  /** The breaker state, calls in flight, each instance's health, and the retries and ejections so far, right now. */
  status(): UpstreamStatus {
    return {
      breaker: this.breaker.state,
      inFlight: this.budget.inFlight,
      instances: this.balancer.health(),
      retries: this.retries,
      ejections: this.balancer.ejections,
    };
  }

  /**
   * `listener` is told of every change of this upstream's circuit (opened and why, half-open, closed), once each,
   * as it happens: for the app's log (see `UpstreamBreaker.onTransition`).
   */
  onBreakerTransition(listener: (transition: BreakerTransition) => void): void {
    this.breaker.onTransition(listener);
  }

  /** Timer callback: probes the ejected instances (never two rounds at once) and re-admits those answering 2xx. */
  private async probeEjected(): Promise<void> {
    const ejected = this.balancer.ejected();
    if (this.probing || ejected.length === 0) return;
    this.probing = true;
    try {
      await Promise.all(
        ejected.map(async (instance) => {
          if (await this.probeOne(instance, DEFAULT_PROBE_TIMEOUT_MS)) this.balancer.readmit(instance);
        }),
      );
    } finally {
      this.probing = false;
    }
  }

  private async probeOne(instance: UpstreamInstance, timeoutMs: number): Promise<boolean> {
    try {
      const signal = new ExchangeSignal();
      const options: Dispatcher.DispatchOptions = { method: 'GET', path: `${instance.prefix}${this.healthPath}` };
      const { status } = await exchange(instance.pool, options, signal, this.limits, timeoutMs, undefined);
      return status >= 200 && status < 300;
    } catch {
      return false;
    }
  }

  /** Stops the health probe and closes every pool, letting in-flight calls finish (each is bounded by its deadline). Idempotent. */
  close(): Promise<void> {
    if (this.probeTimer !== undefined) clearInterval(this.probeTimer);
    this.closing ??= Promise.all(this.balancer.instances.map((instance) => instance.pool.close())).then(
      () => undefined,
    );
    return this.closing;
  }

  /** Whether every pool has been closed (for tests and health reporting). */
  get closed(): boolean {
    return this.balancer.instances.every((instance) => instance.pool.closed);
  }
}

const asIs = (response: UpstreamResponse): UpstreamResponse => response;
