import { constants as h2constants, type Http2ServerRequest } from 'node:http2';
import { CancelSignal, type CallerSignal } from '@frontdoor/upstream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { onHttp2Stream } from './http2-stream';

/** nginx's "client closed request": the status the access log and the metrics give a request whose client went away. */
export const CLIENT_CLOSED_REQUEST = 499;

/** The reason of the abort, the `cause` of the `UpstreamAbortedError` of each cancelled call. */
class ClientClosedRequest extends Error {
  override readonly name = 'ClientClosedRequest';
}

function goneReason(): ClientClosedRequest {
  return new ClientClosedRequest('the client closed the request before its answer');
}

type Tracked = FastifyRequest & { clientGone?: CancelSignal };

/**
 * The request's cancellation signal, made on first use (most requests never need one) and aborted by the hook of
 * {@link installClientGoneHook}; made already aborted when the client left before it was first asked for.
 */
function clientGoneSignalOf(request: FastifyRequest): CancelSignal {
  let signal = (request as Tracked).clientGone;
  if (signal === undefined) {
    signal = (request as Tracked).clientGone = new CancelSignal();
    if (request.method === 'HEAD' && onHttp2Stream(request.raw)) watchHeadStream(request, signal);
  }
  return signal;
}

/**
 * An HTTP/2 HEAD stream reset by the client: Node 20 does not count it as aborted (its response side is already
 * ended), so Fastify's `onRequestAbort` never runs for it — checked, unlike HTTP/2 GET and HTTP/1.1 GET and HEAD.
 * For that case only, the stream's own `close` says it: a reset (any code but NO_ERROR) before the answer.
 */
function watchHeadStream(request: FastifyRequest, signal: CancelSignal): void {
  const stream = (request.raw as unknown as Http2ServerRequest).stream;
  const onClose = () => {
    if (stream.rstCode !== h2constants.NGHTTP2_NO_ERROR) signal.abort(goneReason());
  };
  if (stream.closed) onClose();
  else stream.once('close', onClose);
}

/**
 * The signal the upstream calls of `request` carry: for GET and HEAD, aborted when the client goes away, which
 * cancels their calls in flight at once and keeps the ones not started yet from starting. Calls of other methods
 * (POST, PUT, PATCH, DELETE) get none and run to their answer even when the client is gone: their effect happens or
 * not upstream either way, so their outcome must still be recorded (partner idempotency records) and logged.
 */
export function cancellationOf(request: FastifyRequest): CallerSignal | undefined {
  const method = request.method;
  return method === 'GET' || method === 'HEAD' ? clientGoneSignalOf(request) : undefined;
}

/**
 * Whether the client is gone, read from the transport: the HTTP/2 stream, or the HTTP/1 response or its
 * connection, is destroyed. The connection counts for an HTTP/1 request pipelined behind another: its response is
 * not attached to the socket until its turn, so it is never destroyed itself (found by a black-box probe: such
 * requests got no access line, and their cancelled calls were logged as unhandled errors with a stack). Meant for
 * the moment the answer is handed over (`onSend`) and for the error filter, when a live client's never is.
 */
export function isClientGone(reply: FastifyReply): boolean {
  const raw = reply.raw as FastifyReply['raw'] & { stream?: { readonly destroyed: boolean } };
  if (raw.stream !== undefined) return raw.stream.destroyed;
  return raw.destroyed || reply.request.raw.socket?.destroyed === true;
}

/**
 * Phase 0: detects that the client went away (connection closed, HTTP/2 stream reset) with Fastify's own
 * `onRequestAbort` hook and aborts the request's cancellation signal (see {@link cancellationOf}). Fastify runs the
 * hook on the request's `close` when Node counts it aborted: HTTP/1.1 (kept-alive or not) requests whose body was
 * not read, and HTTP/2 streams but HEAD ones (see `watchHeadStream`). It does not run for an HTTP/1 request whose
 * body was read, a POST, whose calls are not cancelled anyway.
 */
export function installClientGoneHook(instance: FastifyInstance): void {
  instance.addHook('onRequestAbort', (request, done) => {
    clientGoneSignalOf(request).abort(goneReason());
    done();
  });
}
