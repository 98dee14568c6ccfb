import type { Dispatcher, Pool } from 'undici';
import { abortOnDeadline, type ExchangeSignal } from './exchange.signal';
import { readBody } from './read-body';
import type { UpstreamResponse } from './upstream.types';
import { UpstreamAbortedError, toTransportError, upstreamTimeout } from './upstream.errors';

/** What an exchange needs to know about its upstream; one frozen object per client, built at construction. */
export interface ExchangeLimits {
  readonly name: string;
  readonly maxResponseBytes: number;
}

/**
 * One HTTP exchange on `pool` (`options.signal` must be `signal`), bounded as a whole (connect + headers + full
 * body) by `deadlineMs`: one timer per call, cleared on completion. Resolves for any status once the body is read.
 * `reportedDeadlineMs` is the deadline a timeout error names (the whole call's, when this is a retry).
 * @throws UpstreamError timeout (deadline passed), unavailable (no complete answer), bad-response (cut off, too
 *   large, unparsable HTTP)
 * @throws UpstreamAbortedError when `callerSignal` aborted first
 */
export async function exchange(
  pool: Pool,
  options: Dispatcher.RequestOptions,
  signal: ExchangeSignal,
  limits: ExchangeLimits,
  deadlineMs: number,
  callerSignal: AbortSignal | undefined,
  reportedDeadlineMs: number = deadlineMs,
): Promise<UpstreamResponse> {
  if (callerSignal?.aborted) throw new UpstreamAbortedError(limits.name, callerSignal.reason);
  const timer = setTimeout(abortOnDeadline, deadlineMs, signal, deadlineMs);
  const onCallerAbort = callerSignal ? () => signal.abort(callerSignal.reason) : undefined;
  if (onCallerAbort) callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  let receiving = false;
  try {
    const response = await pool.request(options);
    receiving = true;
    const announced = options.method === 'HEAD' ? undefined : response.headers['content-length'];
    const body = await readBody(response.body, announced, limits.maxResponseBytes);
    return { status: response.statusCode, headers: response.headers, body };
  } catch (error) {
    if (signal.timedOut) throw upstreamTimeout(limits.name, reportedDeadlineMs, error);
    if (signal.aborted) throw new UpstreamAbortedError(limits.name, callerSignal?.reason);
    throw toTransportError(limits.name, error, receiving, reportedDeadlineMs);
  } finally {
    clearTimeout(timer);
    if (onCallerAbort) callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}
