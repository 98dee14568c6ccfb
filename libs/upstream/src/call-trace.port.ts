import { isUpstreamError } from '@frontdoor/errors';
import { isCircuitOpen, isUpstreamAbortedError } from './upstream.errors';


/** How one upstream call ended, as logs and metrics name it (a bounded set: safe as a metric label). */
export type CallOutcome =
  | '2xx'
  | '3xx'
  | '4xx'
  | '5xx'
  | 'timeout'
  | 'unavailable'
  | 'circuit-open'
  | 'overloaded'
  | 'bad-response'
  | 'aborted'
  | 'error';

/** One upstream call in flight, as the request's trace sees it. */
export interface CallSpan {
  /** The W3C `traceparent` this call carries upstream (a child of the request's span). */
  readonly traceparent: string | undefined;
  /** The W3C `tracestate` that goes upstream with it (the client's, passed on), if any. */
  readonly tracestate?: string | undefined;
  end(outcome: CallOutcome, status?: number): void;
}

/**
 * The port through which a request observes its upstream calls (trace context, access log, metrics) without the
 * upstream client knowing about any of them: implemented in libs/observability, one per request.
 */
export interface CallTrace {
  begin(upstream: string): CallSpan;
}

const STATUS_OUTCOME: readonly CallOutcome[] = ['5xx', '5xx', '2xx', '3xx', '4xx', '5xx'];

export function outcomeOfStatus(status: number): CallOutcome {
  return STATUS_OUTCOME[(status / 100) | 0] ?? '5xx';
}

export function outcomeOfError(error: unknown): CallOutcome {
  if (isUpstreamAbortedError(error)) return 'aborted';
  if (isCircuitOpen(error)) return 'circuit-open';
  if (isUpstreamError(error)) return error.failure;
  return 'error';
}
