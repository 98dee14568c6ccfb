import type { FastifyInstance } from 'fastify';
import { ProblemError } from '@frontdoor/errors';

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

export function installSecurityHooks(instance: FastifyInstance, tls: boolean, compression = false): void {
  const vary = compression ? 'accept, accept-encoding' : 'accept';
  instance.addHook('onRequest', (request, reply, done) => {
    const existing = reply.getHeader('vary');
    reply.header('vary', existing === undefined ? vary : `${String(existing)}, ${vary}`);
    reply.headers(SECURITY_HEADERS);
    if (tls) reply.header('strict-transport-security', 'max-age=31536000');
    const raw = request.raw.rawHeaders;
    let hosts = 0;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i] as string;
      if (name.length === 4 && name.toLowerCase() === 'host') hosts++;
    }
    if (hosts > 1) return done(new ProblemError('bad-request', 'The request has more than one Host header.'));
    // HTTP/1.1 requires exactly one (RFC 9112 §3.2); HTTP/1.0 may omit it, HTTP/2 says :authority instead
    if (hosts === 0 && request.raw.httpVersion === '1.1') return done(new ProblemError('bad-request', 'The request has no Host header.'));
    done();
  });
}
