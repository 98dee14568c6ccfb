import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { problemForStatus } from '@frontdoor/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { onHttp2Stream } from './http2-stream';
import { SECURITY_HEADERS, varyOf } from './security.hooks';

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/** A well-formed HTTP/1 request line (RFC 9112 §3): a method token, a target, a version. */
const REQUEST_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ [^ \r\n]+ HTTP\/\d\.\d\r?\n/;
/** What follows a request target in its request line: the version, then the line's end. */
const AFTER_TARGET = /^ HTTP\/\d\.\d\r?\n/;
/** The start of a request line cut inside its target: a method token, a space, the target so far. */
const TARGET_SO_FAR = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ [^ \r\n]*$/;

type ParserError = Error & { code?: string; rawPacket?: Buffer; bytesParsed?: number };

/**
 * Whether the parser's header overflow came from the request target: Node counts the request line against
 * `maxHeaderSize` too, and reports the overflow where the token that crossed it ends, `bytesParsed` into the chunk
 * (`rawPacket`): right before ` HTTP/1.1` for a target, before the line's end for a header field. A target cut by the
 * chunk's end is recognised when its line starts in the chunk; one whose start came in an earlier chunk stays a 431.
 */
function isTargetOverflow({ rawPacket: chunk, bytesParsed: at }: ParserError): boolean {
  if (chunk === undefined || typeof at !== 'number' || at <= 0 || at > chunk.length) return false;
  if (at < chunk.length) return AFTER_TARGET.test(chunk.toString('latin1', at, at + 12));
  const lineStart = chunk.lastIndexOf(0x0a, at - 1) + 1;
  return TARGET_SO_FAR.test(chunk.toString('latin1', lineStart, at));
}

/**
 * The status a parser error is answered with. llhttp knows a fixed list of methods: a well-formed request line with
 * another method is a method this server does not implement, 501 (RFC 9110 §9.1), not garbage (400). A request
 * line over the header size limit is a target too long, 414 (RFC 9110 §15.5.15; nginx answers the same), not 431.
 */
function statusOf(error: ParserError): number {
  if (error.code === 'HPE_INVALID_METHOD' && error.rawPacket && REQUEST_LINE.test(error.rawPacket.toString('latin1', 0, 8192))) return 501;
  if (error.code === 'HPE_HEADER_OVERFLOW' && isTargetOverflow(error)) return 414;
  return STATUS_BY_CODE[error.code ?? ''] ?? 400;
}

/** The answer an HTTP/1 connection is serving: set by the door hook for every request, read on a parser refusal. */
const serving = new WeakMap<Socket, FastifyReply>();

type Refused = FastifyRequest & { parserStatus?: number };

/** Door hook: remembers the answer this HTTP/1 connection is serving (one WeakMap write per request). */
export function trackServedReply(request: FastifyRequest, reply: FastifyReply): void {
  if (!onHttp2Stream(request.raw)) serving.set(request.raw.socket, reply);
}

/**
 * Access hook (`onResponse`): the answer is out, so the connection stops holding it. Otherwise every kept-alive
 * connection held its last request's whole graph (request, reply, logger, trace: ~6 KB) until its next request,
 * which the young-generation GC copied at every scavenge (32 idle connections: 260 KB survivors instead of ~80 KB).
 * A pipelined request's reply may have taken the place already: only this reply is forgotten.
 */
export function releaseServedReply(request: FastifyRequest, reply: FastifyReply): void {
  const socket = request.raw.socket;
  if (!onHttp2Stream(request.raw) && serving.get(socket) === reply) serving.delete(socket);
}

/** The status the HTTP parser refused the rest of this request with (its body: a bad chunk, a timeout), if it did. */
export function parserStatusOf(request: FastifyRequest): number | undefined {
  return (request as Refused).parserStatus;
}

/**
 * The access line and metric of a request refused before it reached a route. For the parser's refusals, `ip` is the
 * socket's peer (TRUST_PROXY does not apply: no header of the request was read) and there is no `seen`: Node tells
 * neither the method nor the target of a request its parser refused (the error has `code`, `reason`, `bytesParsed` and
 * `rawPacket`, the chunk being parsed, which may start mid-request or hold earlier requests). The protocol refusals
 * below were parsed whole: they give the client's address with TRUST_PROXY applied, and the method and target seen.
 */
export type RefusalRecorder = (
  status: number,
  requestId: string,
  code: string | undefined,
  ip?: string,
  seen?: { readonly method: string; readonly url: string },
) => void;

/** The status line's reason and the problem's detail for each status the parser's refusals are answered with. */
const REFUSALS: Readonly<Record<number, readonly [reason: string, detail: string]>> = {
  400: ['Bad Request', 'The request could not be parsed as HTTP.'],
  408: ['Request Timeout', 'The request was not received in time.'],
  414: ['URI Too Long', 'The request target is too long.'],
  431: ['Request Header Fields Too Large', "The request's header fields are too large."],
  501: ['Not Implemented', 'The request method is not implemented here.'],
};

/**
 * A refusal written below Fastify: its problem body and headers, the security hook's included (these answers never
 * reach it).
 */
function refusalOf(
  status: number,
  requestId: string,
  vary: string,
): { reason: string; body: string; headers: Record<string, string> } {
  const [reason, detail] = REFUSALS[status] ?? (REFUSALS[400] as readonly [string, string]);
  const body = JSON.stringify(problemForStatus(status, detail, requestId, '/'));
  const headers = {
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'x-request-id': requestId,
    'cache-control': 'no-store',
    vary,
    ...SECURITY_HEADERS,
  };
  return { reason, body, headers };
}

function refuse(socket: Socket, status: number, requestId: string, vary: string): void {
  if (!socket.writable) return void socket.destroy();
  const { reason, body, headers } = refusalOf(status, requestId, vary);
  let head = `HTTP/1.1 ${status} ${reason}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  socket.end(`${head}connection: close\r\n\r\n${body}`);
}

/**
 * Fastify `clientErrorHandler`: what Node's HTTP parser refuses (malformed request line, CL+TE, bare CR, oversized
 * headers, a bad chunk, a body too slow…) never reaches a route; it is answered with problem+json too, as far as
 * the socket allows, then the connection is closed. Three cases, like nginx:
 * - the body of the request being served failed: the answer carries that request's id, and its one access line
 *   (written by the access hooks) says this status, not 499 — unless that request was answered already (a 404 or
 *   401 sent before its body was read): one request gets one answer (RFC 9112 §9.3), so the connection is only
 *   closed once that answer is out, and a client that pipelined more never reads a stray refusal as the next answer;
 * - a request that could not be parsed follows one still being answered (pipelining): that answer is sent first,
 *   then the refusal — Node's parser stops at the error, so nothing after it is read;
 * - otherwise the refusal at once.
 * A refusal that is not a request's gets its own access line and metric through `record`.
 */
export function clientErrorHandlerOf(
  record: RefusalRecorder,
  vary = varyOf(false, false),
): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    if (error.code === 'HPE_CLOSED_CONNECTION') {
      // bytes after a request that closes its connection (HTTP/1.0 without keep-alive, `Connection: close`, a refused
      // HTTP version): no further request is read or answered (RFC 9112 §9.6), as nginx does. A 400 here was a second
      // answer the client never asked for, with an access line of its own. The answer in flight still goes out and
      // Node closes the connection after it; with none in flight, the connection closes now
      const inFlight = serving.get(socket);
      if (inFlight === undefined || inFlight.raw.writableFinished || inFlight.raw.destroyed) socket.end();
      return;
    }
    const status = statusOf(error);
    const reply = serving.get(socket);
    if (reply !== undefined && !reply.request.raw.complete) {
      if (reply.raw.headersSent) {
        // end, not destroy: the answer already written still reaches the client (a close with unread input resets)
        if (reply.raw.writableFinished || reply.raw.destroyed) socket.end();
        else reply.raw.once('close', () => socket.end());
        return;
      }
      (reply.request as Refused).parserStatus = status;
      refuse(socket, status, reply.request.id, vary);
      return;
    }
    const requestId = randomUUID();
    const answer = () => {
      refuse(socket, status, requestId, vary);
      record(status, requestId, error.code, socket.remoteAddress);
    };
    if (reply !== undefined && !reply.raw.writableFinished && !reply.raw.destroyed) reply.raw.once('close', answer);
    else answer();
  };
}

/** The part of Node's HTTP server the refusals below listen on (HTTP/1, or HTTP/2 with its HTTP/1 fallback). */
interface RefusingServer {
  on(event: 'connect', listener: (request: IncomingMessage, socket: Socket) => void): unknown;
  on(event: 'checkExpectation', listener: (request: IncomingMessage, response: ServerResponse) => void): unknown;
  emit(event: 'request', request: IncomingMessage, response: ServerResponse): boolean;
}

/**
 * What Node's HTTP server answers itself, before any route, answered with a problem instead (PRODUCT.md: the
 * parser's errors too, as far as the connection allows), each with its access line and metric through `record`:
 * - `CONNECT` (no listener: Node closed the connection without a word) → 501, then close; this gateway tunnels
 *   nothing (RFC 9110 §9.3.6); written here, with the access line and metric through `record`;
 * - an `Expect` other than `100-continue` (Node's bare 417 had no request id) is handed to the app like any request,
 *   and the security hook answers it 417 (RFC 9110 §10.1.1): so it gets what every answer gets — the client's request
 *   id, a problem in the format it accepts, CORS, the app's own headers (partner v1's deprecation notice), its access
 *   line. Written here before, it had none of those.
 * `addressOf` gives the client's address for the access line (TRUST_PROXY applied: these requests have headers).
 */
export function installProtocolRefusals(
  server: RefusingServer,
  record: RefusalRecorder,
  addressOf: (request: IncomingMessage) => string | undefined,
  vary = varyOf(false, false),
  requestIdOf: (request: IncomingMessage) => string = () => randomUUID(),
): void {
  server.on('connect', (request, socket) => {
    // its headers were read: the client's own request id is kept, as for any request (the app's genReqId)
    const requestId = requestIdOf(request);
    refuse(socket, 501, requestId, vary);
    record(501, requestId, 'CONNECT', addressOf(request), { method: 'CONNECT', url: request.url ?? '' });
  });
  // Node emits this instead of `request` (and answers a bare 417 itself when nothing listens)
  server.on('checkExpectation', (request, response) => void server.emit('request', request, response));
}
