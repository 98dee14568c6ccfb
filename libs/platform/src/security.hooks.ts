import type { FastifyInstance } from 'fastify';
import { ProblemError } from '@frontdoor/errors';

/**
 * Door checks and answer headers a gateway owes every client: a request with two `Host` headers is refused
 * (Node keeps the first; a proxy in front may have used the other: request smuggling, PITFALLS §6); every answer
 * says `nosniff`, may not be framed, leaks no referrer, and (over TLS) pins HTTPS. Nothing names the server.
 */
export function installSecurityHooks(instance: FastifyInstance, tls: boolean): void {
  instance.addHook('onRequest', (request, reply, done) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    if (tls) reply.header('strict-transport-security', 'max-age=31536000');
    const raw = request.raw.rawHeaders;
    let hosts = 0;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i] as string;
      if (name.length === 4 && name.toLowerCase() === 'host') hosts++;
    }
    if (hosts > 1) return done(new ProblemError('bad-request', 'The request has more than one Host header.'));
    done();
  });
}
