import type { FastifyInstance, FastifyReply } from 'fastify';
import { ProblemError } from '@frontdoor/errors';
import { onHttp2Stream } from './http2-stream';

/**
 * Door checks and answer headers a gateway owes every client: an HTTP/1.1 request with no `Host` or with two is
 * refused (Node keeps the first; a proxy in front may have used the other: request smuggling, PITFALLS §6); every answer
 * says `nosniff`, may not be framed, leaks no referrer, and (over TLS) pins HTTPS. Nothing names the server.
 * Every answer also says what it varies with: `Accept` (JSON or XML, answers and problems alike) and, where answers
 * may be compressed, `Accept-Encoding` — also when this one was not, so that no cache hands a client the other form.
 * Lower-case tokens: @fastify/compress and @fastify/cors append to this value and look for their own in lower case.
 */
/** What every answer says besides its own headers: the hook below, and the answers written below Fastify (client-error). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
});

/**
 * The headers every answer gets (see above), built once: the hook below sets them on each request it sees, and
 * create-bff-app on the answers Fastify's router gives before any hook runs.
 */
export function answerHeadersOf(tls: boolean, compression: boolean): (reply: FastifyReply) => void {
  // `Origin` is the CORS hook's to append, on the answers it sees
  const vary = varyOf(compression, false);
  return (reply) => {
    const existing = reply.getHeader('vary');
    reply.header('vary', existing === undefined ? vary : `${String(existing)}, ${vary}`);
    reply.headers(SECURITY_HEADERS);
    if (tls) reply.header('strict-transport-security', 'max-age=31536000');
  };
}

/**
 * What every answer of the app varies with: `Accept`, and `Accept-Encoding` where answers may be compressed, `Origin`
 * where CORS applies. The hook below sets the first two; the refusals written below Fastify, which no hook sees, take
 * the whole value (web-bff promises `Vary: Origin` on every answer, and no cache may keep one of them for other
 * requests either).
 */
export function varyOf(compression: boolean, cors: boolean): string {
  return ['accept', ...(compression ? ['accept-encoding'] : []), ...(cors ? ['origin'] : [])].join(', ');
}

export function installSecurityHooks(instance: FastifyInstance, tls: boolean, compression = false): void {
  const answerHeaders = answerHeadersOf(tls, compression);
  instance.addHook('onRequest', (request, reply, done) => {
    answerHeaders(reply);
    if (request.raw.httpVersionMajor !== 1 && !onHttp2Stream(request.raw)) return done(versionProblem(request.raw.httpVersion));
    // handed over by installProtocolRefusals (Node's `checkExpectation`): only 100-continue can be met
    const expectation = request.headers.expect;
    if (expectation !== undefined && !CONTINUE.test(expectation)) return done(expectationProblem(onHttp2Stream(request.raw)));
    const raw = request.raw.rawHeaders;
    let hosts = 0;
    let authorizations = 0;
    let contentTypes = 0;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i] as string;
      if (name.length === 4 && name.toLowerCase() === 'host') hosts++;
      else if (name.length === 13 && name.toLowerCase() === 'authorization') authorizations++;
      else if (name.length === 12 && name.toLowerCase() === 'content-type') contentTypes++;
    }
    if (hosts > 1) return done(new ProblemError('bad-request', 'The request has more than one Host header.'));
    // HTTP/1.1 requires exactly one (RFC 9112 §3.2); HTTP/1.0 may omit it, HTTP/2 says :authority instead
    if (hosts === 0 && request.raw.httpVersion === '1.1') return done(new ProblemError('bad-request', 'The request has no Host header.'));
    // Node keeps the first of two and drops the other; a proxy in front that reads the last would have authorised
    // another identity than the one checked here (RFC 9110 §5.3: a field that is not a list must not repeat)
    if (authorizations > 1) return done(new ProblemError('bad-request', 'The request has more than one Authorization header.'));
    // the same for the body's media type: Node keeps the first (JSON), a proxy reading the last (XML) checked another body
    if (contentTypes > 1) return done(new ProblemError('bad-request', 'The request has more than one Content-Type header.'));
    const transferEncoding = request.headers['transfer-encoding'];
    if (transferEncoding !== undefined) {
      const refusal = transferEncodingProblem(transferEncoding, request.raw.httpVersion);
      if (refusal !== undefined) return done(refusal);
    }
    done();
  });
}

/** What Node reads as a 100-continue expectation (`_http_server.js`'s `continueExpression`): anything else is a 417. */
const CONTINUE = /(?:^|\W)100-continue(?:$|\W)/i;

/**
 * RFC 9110 §10.1.1: an expectation this server cannot meet; an HTTP/1 connection closes (a body may follow unread),
 * an HTTP/2 stream ends (a `Connection` field is not allowed there).
 */
function expectationProblem(http2: boolean): ProblemError {
  return new ProblemError('expectation-failed', 'The expectation in the Expect header cannot be met; only 100-continue is.', {
    headers: http2 ? {} : { connection: 'close' },
  });
}

/**
 * An HTTP/1 connection's request that claims HTTP/2.0 or HTTP/0.9: 505, then close (RFC 9112 §2.3; nginx answers
 * HTTP/2.0 so on an HTTP/1 port; an HTTP/0.9 answer would have no status line or headers, so none of this API's
 * problems, headers or framing could be given). Answered 200 before: the request was served in HTTP/1.1 framing,
 * and code that tells HTTP/1 from HTTP/2 by the major version took it for an HTTP/2 stream (the drain's
 * `Connection: close`, the parser-refusal bookkeeping, HEAD's client-gone watch: they now ask `onHttp2Stream`).
 */
function versionProblem(version: string): ProblemError {
  return new ProblemError('http-version-not-supported', `HTTP/${version} is not served here; use HTTP/1.1 or HTTP/2.`, {
    headers: { connection: 'close' },
  });
}

/**
 * RFC 9112 §6.1. Node's parser reads any `Transfer-Encoding` whose last coding is `chunked` as chunked and ignores
 * the codings before it, and reads it in an HTTP/1.0 request too: a body sent `gzip, chunked` was taken as plain
 * JSON (an order was placed from it), and a 1.0 request with `chunked` kept its connection for the next one.
 * A proxy in front that reads either otherwise frames another body than ours: request smuggling. So a 1.0 request
 * with the field is a 400 (its framing is faulty, §6.1), and a transfer coding other than a lone `chunked` is a 501
 * (the codings this server understands, as nginx answers); both close the connection, whose framing can no
 * longer be trusted.
 */
function transferEncodingProblem(value: string, httpVersion: string): ProblemError | undefined {
  const close = { headers: { connection: 'close' } };
  if (httpVersion === '1.0') return new ProblemError('bad-request', 'An HTTP/1.0 request may not carry Transfer-Encoding.', close);
  if (value.trim().toLowerCase() !== 'chunked') {
    return new ProblemError('not-implemented', 'The only transfer coding accepted is chunked.', close);
  }
  return undefined;
}
