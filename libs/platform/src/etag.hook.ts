import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** A weak validator of the answer's bytes before compression (so one ETag serves every encoding). */
export function etagOf(payload: string | Buffer): string {
  return `W/"${createHash('sha1').update(payload).digest('base64url').slice(0, 22)}"`;
}

/** RFC 9110 §13.1.2: If-None-Match uses weak comparison; `*` matches any current representation. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}

/**
 * `ETag` on every successful GET/HEAD answer and `If-None-Match` → 304 with no body. Registered before
 * compression, so the tag is computed on the identity bytes. Answers marked no-store (degraded ones) still get
 * a tag but are never cached by clients, so a 304 never resurrects them.
 */
export function installEtagHook(instance: FastifyInstance): void {
  instance.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return done(null, payload);
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload);
    const etag = etagOf(payload);
    reply.header('etag', etag);
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) {
      reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      // no payload at all: Fastify then sends no Content-Length on a 304, where an empty string would be `0`
      // (RFC 9110 §8.6: a 304 carries none unless it is the 200's, and a cache may overwrite its stored one).
      // A HEAD keeps its payload: Fastify's own HEAD hook runs after this one, reads it for the 200's
      // Content-Length (allowed on a 304) and throws on null; Node sends no body with a 304 or a HEAD answer.
      return done(null, request.method === 'HEAD' ? payload : null);
    }
    done(null, payload);
  });
}
