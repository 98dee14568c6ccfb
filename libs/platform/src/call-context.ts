import type { CallContext } from '@frontdoor/backends';
import { principalOf } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';

/**
 * What a backend call carries for this request. Headers are an allow-list — the request id and the W3C trace
 * context — built here rather than filtered from the client's, so client credentials (`Authorization`,
 * `X-API-Key`, cookies) and client-sent identity headers (`X-User-*`, `X-Roles`, `X-Partner-*`, …) can never reach
 * a backend. Who the caller is travels as `identity` (the authenticated principal), which the upstream client turns
 * into the gateway's own signed token per upstream; anonymous requests carry none.
 */
export function callContextOf(request: FastifyRequest): CallContext {
  const traceparent = request.headers.traceparent;
  const principal = principalOf(request);
  return {
    headers:
      typeof traceparent === 'string' && TRACEPARENT.test(traceparent)
        ? { 'x-request-id': request.id, traceparent }
        : { 'x-request-id': request.id },
    identity: principal.kind === 'anonymous' ? undefined : principal,
  };
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
