import { UpstreamError, isUpstreamError } from '@frontdoor/errors';

/*
 * Every detail names the upstream by its logical name only. Hosts, ports, URLs, paths and bodies stay out of
 * `detail` and `message`; the original error goes into `cause`, for the log.
 */

export function upstreamTimeout(upstream: string, deadlineMs: number, cause?: unknown): UpstreamError {
  return new UpstreamError(upstream, 'timeout', `${upstream} did not answer within ${deadlineMs} ms`, {
    cause,
  });
}

export function upstreamUnavailable(upstream: string, cause?: unknown): UpstreamError {
  return new UpstreamError(upstream, 'unavailable', `${upstream} is unavailable`, { cause });
}

export function upstreamTooLarge(upstream: string, cause?: unknown): UpstreamError {
  return new UpstreamError(upstream, 'bad-response', `${upstream} answered with a body over the size limit`, {
    cause,
  });
}

export function upstreamCutOff(upstream: string, cause?: unknown): UpstreamError {
  return new UpstreamError(upstream, 'bad-response', `${upstream} broke off its answer`, { cause });
}

export function upstreamInvalidBody(upstream: string, cause?: unknown): UpstreamError {
  return new UpstreamError(upstream, 'bad-response', `${upstream} answered with an invalid body`, { cause });
}

const ABORTED_BRAND = Symbol.for('frontdoor.upstream-aborted');

/**
 * The caller's `signal` aborted an upstream call before its deadline (or before it started). Not a `ProblemError`:
 * nobody is left to answer (the client went away), so it is dropped, not rendered — the platform's filter logs it
 * at debug level when the client is gone; anywhere else it would render as a generic 500. Shaped like the
 * platform's abort errors: `name === 'AbortError'`, `code === 'ABORT_ERR'`; the signal's `reason` is the `cause`.
 * When the deadline had already fired, the call rejects with the 504 `UpstreamError` instead.
 */
export class UpstreamAbortedError extends Error {
  readonly [ABORTED_BRAND] = true;
  readonly code = 'ABORT_ERR';

  constructor(
    readonly upstream: string,
    reason: unknown,
  ) {
    super(`the call to ${upstream} was cancelled by the caller`, { cause: reason });
    this.name = 'AbortError';
  }
}

/** Brand check that survives duplicated module instances. */
export function isUpstreamAbortedError(error: unknown): error is UpstreamAbortedError {
  return (
    typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[ABORTED_BRAND] === true
  );
}

/** Internal: the body went over `maxResponseBytes` (by content-length or while streaming). */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** Internal reason given to the per-request AbortController when the deadline fires. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const INVALID_CODES = new Set(['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'UND_ERR_INFO']);

function codeOf(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : '';
}

/** Connection failures that happen before a byte of the request is written: refused, no route, no such host. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * The call failed before its request could reach the upstream (the connection was refused, no route, no such
 * host): sending it again cannot do anything twice, whatever the method. A reset or a close after the connection
 * was made is not this: the request may have been read.
 */
export function isNeverSent(error: unknown): boolean {
  if (!isUpstreamError(error) || error.failure !== 'unavailable') return false;
  const cause = (error as { cause?: unknown }).cause;
  // net's happy-eyeballs connect reports an AggregateError of one error per address tried
  const first = cause instanceof AggregateError ? cause.errors[0] : cause;
  return NOT_SENT_CODES.has(codeOf(first)) || NOT_SENT_CODES.has(codeOf(cause));
}

/**
 * Maps a transport failure (not a deadline, not a caller abort) to the upstream error the client sees.
 * `receiving`: the status line and headers had arrived, so the failure happened while reading the body.
 * @throws the original error when undici refused the request options (a programming error, rendered as 500)
 */
export function toTransportError(
  upstream: string,
  error: unknown,
  receiving: boolean,
  deadlineMs: number,
): UpstreamError {
  const code = codeOf(error);
  if (code === 'UND_ERR_INVALID_ARG') throw error;
  if (TIMEOUT_CODES.has(code)) return upstreamTimeout(upstream, deadlineMs, error);
  if (error instanceof BodyTooLargeError || code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE')
    return upstreamTooLarge(upstream, error);
  // undici 7.30's HTTPParserError carries no `code` (client-h1 looks its constant up the wrong way round): its name
  // is what says the upstream spoke broken HTTP — a bad-response, not an unreachable upstream to retry
  if (code.startsWith('HPE_') || INVALID_CODES.has(code) || (error as { name?: unknown } | null)?.name === 'HTTPParserError')
    return upstreamInvalidBody(upstream, error);
  return receiving ? upstreamCutOff(upstream, error) : upstreamUnavailable(upstream, error);
}

/** Internal cause of the 503 answered while an upstream's circuit is open (see {@link isCircuitOpen}). */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
}

/** Internal cause of the 503 answered when an upstream's concurrency budget is used up. */
export class OverBudgetError extends Error {
  override readonly name = 'OverBudgetError';
}

/** The circuit of `upstream` is open (or half-open with its trial call under way): 503 with `Retry-After`. */
export function upstreamCircuitOpen(upstream: string, retryAfterS: number): UpstreamError {
  return new UpstreamError(upstream, 'unavailable', `${upstream} is unavailable; retry later`, {
    headers: { 'Retry-After': String(retryAfterS) },
    cause: new CircuitOpenError(`circuit of ${upstream} is open`),
  });
}

/** `upstream` already has as many calls in flight as its budget allows: 503 with `Retry-After: 1`, at once. */
export function upstreamOverBudget(upstream: string, limit: number): UpstreamError {
  return new UpstreamError(upstream, 'overloaded', `${upstream} is busy; retry later`, {
    headers: { 'Retry-After': '1' },
    cause: new OverBudgetError(`${limit} calls to ${upstream} in flight`),
  });
}

function causeNamed(error: unknown, name: string): boolean {
  const cause = typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  return cause instanceof Error && cause.name === name;
}

/** Whether `error` is the fast 503 of an open circuit (no call was made). */
export function isCircuitOpen(error: unknown): boolean {
  return causeNamed(error, 'CircuitOpenError');
}

/** Whether `error` is the fast 503 of a used-up concurrency budget (no call was made). */
export function isOverBudget(error: unknown): boolean {
  return causeNamed(error, 'OverBudgetError');
}
