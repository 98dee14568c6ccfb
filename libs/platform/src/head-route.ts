import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

type OnSend = (
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (err?: Error | null, payload?: unknown) => void,
) => void;

/** The `onSend` handler Fastify gives the HEAD route it builds for each GET route (`lib/head-route.js`). */
const FASTIFY_HEAD_HANDLER = 'headRouteOnSendHandler';

/**
 * RFC 9110 §9.3.2: a HEAD answer carries the header fields its GET would (Content-Encoding, Vary, ETag…),
 * only without the content. Fastify builds the HEAD route of each GET with an `onSend` handler of its own
 * that drops the payload, and the route-level `onSend` handlers that later `onRoute` hooks add
 * (@fastify/compress's) ran after it: they saw no payload, so a HEAD said nothing of the coding its GET is
 * sent in, and carried the identity `Content-Length`.
 * This `onRoute` hook, registered after @fastify/compress, moves Fastify's handler to the end of each such
 * HEAD route's list, once at start (GET routes are untouched): a HEAD runs the hooks its GET runs, then
 * drops the payload. A compressed HEAD answer has no `Content-Length` (§9.3.2 allows leaving out what only
 * the content determines); its bytes are compressed and thrown away, as Fastify does with any streamed
 * payload on HEAD, so a HEAD costs what its GET costs.
 * The handler moved also takes a null payload, where Fastify's throws: a 304 from the ETag hook, sent with
 * no `Content-Length` as the GET's 304 is (RFC 9110 §8.6). A HEAD route the app declares itself is left
 * as it is. If Fastify renames its handler, nothing is moved: the HEAD specs of etag-compression.spec.ts
 * fail (a HEAD 304 would be a 500).
 */
export function installHeadLikeGet(instance: FastifyInstance): void {
  instance.addHook('onRoute', (route: RouteOptions) => {
    if (route.method !== 'HEAD' || route.onSend === undefined) return;
    const handlers = (Array.isArray(route.onSend)
      ? [...route.onSend]
      : [route.onSend]) as unknown as OnSend[];
    const at = handlers.findIndex((handler) => handler.name === FASTIFY_HEAD_HANDLER);
    if (at === -1) return;
    const [dropPayload] = handlers.splice(at, 1) as [OnSend];
    handlers.push((request, reply, payload, done) => {
      if (payload === null) done(null, null);
      else dropPayload(request, reply, payload, done);
    });
    route.onSend = handlers as unknown as RouteOptions['onSend'];
  });
}
