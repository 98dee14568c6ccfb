import type { CallContext } from '@frontdoor/backends';
import type { FastifyRequest } from 'fastify';

/**
 * The allow-listed headers a backend call carries for this request: the request id and the W3C trace context.
 * Client credentials and identity headers are never copied.
 */
export function callContextOf(request: FastifyRequest): CallContext {
  const traceparent = request.headers.traceparent;
  return {
    headers:
      typeof traceparent === 'string' && TRACEPARENT.test(traceparent)
        ? { 'x-request-id': request.id, traceparent }
        : { 'x-request-id': request.id },
  };
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
