import type { CallerSignal, CallIdentity, CallTrace } from '@frontdoor/upstream';

/**
 * What a backend call carries from the client request: only allow-listed headers (`x-request-id`, `traceparent`),
 * the request's cancellation signal, and who the call is for. Never client credentials: the upstream client turns
 * `identity` into the gateway's own signed token for each upstream.
 */
export interface CallContext {
  readonly headers: Readonly<Record<string, string>>;
  /** Aborted when the client goes away (GET/HEAD requests only): the calls carrying it end at once. */
  readonly signal?: CallerSignal;
  /** Overrides the route deadline for this call (e.g. an optional part's share of the budget). */
  readonly deadlineMs?: number;
  /** How much of the deadline the request spent before its calls (see `UpstreamRequest.spentMs`); each call gets the rest. */
  readonly spentMs?: number;
  /** The authenticated caller; absent on anonymous (public) routes, whose calls then carry no identity token. */
  readonly identity?: CallIdentity;
  /** The request's trace: upstream calls become its child spans and appear in its access-log line. */
  readonly trace?: CallTrace;
}

/**
 * `ctx` with its own deadline (an aggregation part's share of the route budget). Not `{ ...ctx, deadlineMs }`, which
 * makes a new hidden class per call on Node 20 (the lint rule in eslint.config.mjs says why).
 */
export function withDeadline(ctx: CallContext, deadlineMs: number): CallContext {
  return Object.assign({}, ctx, { deadlineMs });
}
