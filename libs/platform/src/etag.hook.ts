import { createHash } from 'node:crypto';
import { ProblemError, toProblemDocument } from '@frontdoor/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problemPayloadOf, shownPathOf } from './problem-response';

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
 * RFC 9110 §13.1.1: If-Match uses strong comparison, in which a weak tag matches nothing (§8.8.3.2); `*` matches any
 * current representation. The tags of `etagOf` are weak, so against them only `*` matches; so does a representation
 * without a tag (`etag` undefined).
 */
export function matchesIfMatch(header: string, etag: string | undefined): boolean {
  if (header.trim() === '*') return true;
  if (etag === undefined || etag.startsWith('W/')) return false;
  return header.split(',').some((candidate) => candidate.trim() === etag);
}

/** The 412 of a false If-Match against this app's weak tags (RFC 9110 §13.1.1). */
const WEAK_TAGS_DETAIL = "No current representation matches If-Match: this resource's tags are weak, so only * can match.";
/** The same against a resource with no entity tag at all. */
const UNTAGGED_DETAIL = 'This resource has no entity tag: only If-Match: * can match it.';

/**
 * The 412 payload of an answer whose `If-Match` fails against `etag` (undefined: the answer carries none, and only `*`
 * matches); undefined when there is no If-Match or it holds. The answer's length goes, its body being replaced.
 */
function failedIfMatch(request: FastifyRequest, reply: FastifyReply, etag: string | undefined): unknown {
  const ifMatch = request.headers['if-match'];
  if (ifMatch === undefined || matchesIfMatch(ifMatch, etag)) return undefined;
  reply.removeHeader('content-length');
  const problem = etag === undefined ? untaggedPrecondition() : new ProblemError('precondition-failed', WEAK_TAGS_DETAIL);
  return problemPayloadOf(reply, request, toProblemDocument(problem, request.id, shownPathOf(request.url)).document);
}

/**
 * `ETag` on every successful GET/HEAD answer, and its preconditions in the order of RFC 9110 §13.2.2: a false
 * `If-Match` → 412 (the representation is not sent: for a GET or HEAD that is not performing the method), then a
 * matching `If-None-Match` → 304 with no body. Registered before compression, so the tag is computed on the
 * identity bytes. Answers marked no-store (degraded ones) still get a tag but are never cached by clients, so a
 * 304 never resurrects them. Only 200s are tagged and checked: §13.2.1, preconditions are ignored when the answer
 * without them would not be a 2xx (a 401, a 404, an upstream failure keep their status).
 */
export function installEtagHook(instance: FastifyInstance): void {
  instance.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return done(null, payload);
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload);
    const etag = etagOf(payload);
    const refusal = failedIfMatch(request, reply, etag);
    if (refusal !== undefined) return done(null, refusal);
    reply.header('etag', etag);
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) {
      reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      // no payload at all: Fastify then sends no Content-Length on a 304, where an empty string would be `0`
      // (RFC 9110 §8.6: a 304 carries none unless it is the 200's, and a cache may overwrite its stored one), and
      // nothing is compressed (no Content-Encoding on a 304, GET or HEAD). A HEAD's null payload is taken by the
      // handler installHeadLikeGet puts at the end of its route (Fastify's own throws on null).
      return done(null, null);
    }
    done(null, payload);
  });
}

/**
 * RFC 9110 §13.1.1 on the apps that send no ETag of their own (web-bff, partner-bff): a successful GET or HEAD with an
 * `If-Match` no current representation matches is a 412, not the 200 (found by a black-box audit: the header was
 * ignored). A representation without a tag matches only `*` (these apps pass no upstream validator on); one that
 * carries an `ETag` would be compared strongly. As in {@link installEtagHook}, only 200s are checked (§13.2.1). One header
 * look-up per GET. Unsafe methods are checked before they are performed: {@link failsIfMatch}.
 */
export function installIfMatchHook(instance: FastifyInstance): void {
  instance.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    if (request.headers['if-match'] === undefined || reply.statusCode !== 200 || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return done(null, payload);
    }
    const etag = reply.getHeader('etag');
    const refusal = failedIfMatch(request, reply, typeof etag === 'string' ? etag : undefined);
    if (refusal === undefined) return done(null, payload);
    reply.removeHeader('etag');
    done(null, refusal);
  });
}

/**
 * Whether an unsafe request (POST, PUT, PATCH, DELETE) carries an `If-Match` that can hold for none of these apps'
 * resources, which carry no entity tag: anything but `*` (§13.1.1: then the method must not be performed; the 412 is
 * answered by the last global guard, after authentication, limits and roles, §13.2.1). GET and HEAD are checked on
 * their answer (`installIfMatchHook`, `installEtagHook`).
 */
export function failsIfMatch(request: FastifyRequest): boolean {
  const method = request.method;
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return false;
  const ifMatch = request.headers['if-match'];
  return ifMatch !== undefined && !matchesIfMatch(ifMatch, undefined);
}

/** The 412 of an `If-Match` against a resource with no entity tag. */
export function untaggedPrecondition(): ProblemError {
  return new ProblemError('precondition-failed', UNTAGGED_DETAIL);
}
