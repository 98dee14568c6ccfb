import type { CallContext } from '@frontdoor/backends';
import { principalOf } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { cancellationOf } from './client-gone.hook';
import { traceOf } from './door.hooks';

/**
 * What a backend call carries for this request. Headers are an allow-list — the request id (the W3C trace
 * context is added per call by the upstream client) — built here rather than filtered from the client's, so client credentials (`Authorization`,
 * `X-API-Key`, cookies) and client-sent identity headers (`X-User-*`, `X-Roles`, `X-Partner-*`, …) can never reach
 * a backend. Who the caller is travels as `identity` (the authenticated principal), which the upstream client turns
 * into the gateway's own signed token per upstream; anonymous requests carry none. The calls of a GET or HEAD
 * carry the request's cancellation signal: they end at once when the client goes away.
 */
export function callContextOf(request: FastifyRequest): CallContext {
  const principal = principalOf(request);
  return {
    headers: { 'x-request-id': request.id },
    identity: principal.kind === 'anonymous' ? undefined : principal,
    // each upstream call becomes a child span of the request's trace and carries its own `traceparent`
    trace: traceOf(request),
    // GET/HEAD: cancelled when the client goes away; other methods' calls run to their answer (see cancellationOf)
    signal: cancellationOf(request),
    // set only for a request that waited before its calls (spendDeadline); undefined on every other
    spentMs: (request as FastifyRequest & WithDeadlineSpent).deadlineSpentMs,
  };
}

interface WithDeadlineSpent {
  deadlineSpentMs?: number;
}

/**
 * Charges `ms` of waiting to the request's deadline: its upstream calls (`callContextOf`) run with that much less of
 * theirs, so that the request as a whole keeps to one route deadline. For a wait before any call was made: a
 * duplicate that waited for an earlier attempt of its Idempotency-Key, which then failed and left the key to it.
 */
export function spendDeadline(request: FastifyRequest, ms: number): void {
  const spending = request as FastifyRequest & WithDeadlineSpent;
  spending.deadlineSpentMs = (spending.deadlineSpentMs ?? 0) + ms;
}
