import type { CallTrace } from './call-trace.port';
import type { CallerSignal } from './caller-signal.port';
import type { BreakerOptions } from './breaker.policy';
import type { CallIdentity, IdentitySigner } from './identity.port';
import type { RetryOptions } from './retry.policy';

/** How one named upstream is reached. Built once at start (see `upstreamDefinitionsFromConfig`). */
export interface UpstreamOptions {
  /** Logical name used in every error detail (`'payroll'`); never the host. */
  readonly name: string;
  /** One or more instances, used round-robin. A path prefix (`http://h:1/api`) is kept: requests go under it. */
  readonly urls: readonly URL[];
  /** Keep-alive connections per instance. Default 64. */
  readonly connections?: number;
  /** Largest response body read, in bytes (checked on `content-length` and while streaming). Default 8 MiB. */
  readonly maxResponseBytes?: number;
  /** Whole-exchange deadline in ms: connect + headers + full body. Default 3000. */
  readonly defaultDeadlineMs?: number;
  /** Signs the gateway's identity token for calls that carry an `identity` (audience = `name`). Default: none. */
  readonly identitySigner?: IdentitySigner;
  /** Backend protection budget: calls in flight at most; past it calls fail at once with 503. Default 256. */
  readonly maxConcurrent?: number;
  /** Retries of idempotent calls (see `RetryOptions`). */
  readonly retry?: RetryOptions;
  /** The upstream's circuit breaker (see `BreakerOptions`). */
  readonly breaker?: BreakerOptions;
  /** Consecutive failures (transport or 5xx) that take an instance out of the rotation. Default 3. */
  readonly ejectAfterFailures?: number;
  /** How often ejected instances are probed (`GET <healthPath>`) to re-admit them, ms; 0 = never. Default 5000. */
  readonly probeIntervalMs?: number;
  /** The path (after each URL's own path) readiness and the re-admission probe ask, 2xx = healthy. Default `/health`. */
  readonly healthPath?: string;
}

/** The methods an upstream call may use. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One call to an upstream. Nothing here may come unchecked from the client: paths come from `buildPath`. */
export interface UpstreamRequest {
  readonly method: HttpMethod;
  /** Starts with `/`, never `//` (programming error otherwise); appended to the instance's path prefix. */
  readonly path: string;
  /** Encoded by the client (`encodeURIComponent` on names and values); `undefined` values are skipped. */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Allow-listed headers chosen by the caller (x-request-id, traceparent, identity token…); lower-case names. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Overrides `defaultDeadlineMs` for this call: the whole call, every attempt and backoff included, fits in it. */
  readonly deadlineMs?: number;
  /**
   * `deadlineMs` is a route's own limit (a route-table `timeoutMs`): where it is tighter than `defaultDeadlineMs`, a
   * timeout at it says the route was in a hurry, not that the upstream is failing, and neither counts toward the
   * circuit nor ejects the instance (see `UpstreamBreaker.excuse`). Not for an aggregation's share of a deadline: a
   * part that times out counts, so that a hung upstream's circuit opens and later answers skip the part at once.
   */
  readonly routeDeadline?: boolean;
  /**
   * How much of the deadline the request spent before this call (a duplicate that waited for an earlier attempt of
   * its Idempotency-Key): the call gets what is left, at least 1 ms, so the request as a whole keeps to one deadline.
   */
  readonly spentMs?: number;
  /**
   * Caller cancellation (e.g. the client went away): an `AbortSignal` or any {@link CallerSignal}. Its abort ends the
   * call at once wherever it is — waiting for a connection, in flight (the request is aborted and its connection
   * closed), or between attempts (no further attempt) — and a call whose signal is already aborted is not made.
   * Honoured for every method: a caller that wants a POST to run to its answer passes no signal. See
   * `UpstreamAbortedError`.
   */
  readonly signal?: CallerSignal;
  /** Who the call is for: with an `identitySigner`, sent as the gateway's signed token in `authorization`. */
  readonly identity?: CallIdentity;
  /** The request's trace: each call becomes a child span (its `traceparent` goes upstream) and is logged. */
  readonly trace?: CallTrace;
}

/** A complete upstream answer: any status, the whole body read. Headers exactly as undici parsed them. */
export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** Keep-alive connections per instance when `connections` is not given. */
export const DEFAULT_CONNECTIONS = 64;
/** Response body cap when `maxResponseBytes` is not given: 8 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Whole-exchange deadline when neither `deadlineMs` nor `defaultDeadlineMs` is given, ms. */
export const DEFAULT_DEADLINE_MS = 3000;
/** Per-instance timeout of `probe()`, ms. */
export const DEFAULT_PROBE_TIMEOUT_MS = 500;
/** Calls in flight per upstream when `maxConcurrent` is not given. */
export const DEFAULT_MAX_CONCURRENT = 256;
/** Consecutive failures that eject an instance when `ejectAfterFailures` is not given. */
export const DEFAULT_EJECT_AFTER_FAILURES = 3;
/** Health probe period of ejected instances when `probeIntervalMs` is not given, ms. */
export const DEFAULT_PROBE_INTERVAL_MS = 5000;
