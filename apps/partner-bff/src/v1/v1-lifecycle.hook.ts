import { answeredParamsOf, answeredRouteOf, instanceOf } from '@frontdoor/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** v1 is deprecated since this instant (RFC 9745 `Deprecation: @<epoch seconds>`). */
export const V1_DEPRECATED_AT = new Date('2026-01-01T00:00:00Z');
/** …and goes away at this one (RFC 8594 `Sunset`, an HTTP date). */
export const V1_SUNSET_AT = new Date('2027-06-30T00:00:00Z');

/** Every v1 route (Fastify's route pattern) and the v2 route that replaces it. */
export const V1_SUCCESSORS: Readonly<Record<string, string>> = Object.freeze({
  '/v1/products': '/v2/products',
  '/v1/orders': '/v2/orders',
  '/v1/orders/:id': '/v2/orders/:id',
  '/v1/usage': '/v2/usage',
  '/v1/openapi.json': '/v2/openapi.json',
});

const V1_PATH = /^\/v1(?:\/|$)/;
const FIRST_SEGMENT = /^\/[^/]*/;

/**
 * Whether an answer belongs to v1: by the route Fastify matched (whatever encoding the client used to reach it), else
 * — unknown routes, paths path hygiene refuses — by the path's first segment decoded once (PRODUCT.md), so that
 * `/%761/…` is as much v1 as `/v1/…`. A segment that is no valid percent-encoding is not v1. Pure.
 */
export function isV1Answer(route: string | undefined, url: string): boolean {
  if (route !== undefined) return V1_PATH.test(route);
  const first = FIRST_SEGMENT.exec(instanceOf(url))?.[0] ?? '';
  if (!first.includes('%')) return V1_PATH.test(first);
  try {
    return V1_PATH.test(decodeURIComponent(first));
  } catch {
    return false;
  }
}

/**
 * The v2 equivalent of a v1 request: its route's successor with the request's own path parameters (encoded), or
 * the v2 API description when the route is unknown (a 404 has no equivalent). Pure.
 */
export function successorOf(route: string | undefined, params: Readonly<Record<string, string | undefined>>): string {
  const target = route === undefined ? undefined : V1_SUCCESSORS[route];
  if (target === undefined) return '/v2/openapi.json';
  return target.replace(/:([A-Za-z][A-Za-z0-9]*)/g, (_match, name: string) => encodeURIComponent(params[name] ?? ''));
}

/** The `Link` header of a v1 answer: its successor, and where the deprecation is documented (RFC 9745 §3). */
export function v1LinkOf(route: string | undefined, params: Readonly<Record<string, string | undefined>>): string {
  return `<${successorOf(route, params)}>; rel="successor-version", </docs>; rel="deprecation"`;
}

/**
 * Every /v1 answer — successes, the guards' 401/429, validation and upstream problems, unknown routes, the router's
 * refusals — carries `Deprecation`, `Sunset` and a `Link` to its v2 successor: the app's `answerHeaders`
 * (createBffApp), which runs for every answer, as an `onSend` hook and for the router's refusals (no Nest
 * interceptor: guard refusals and the router's answers never pass through one). The header values are computed once,
 * here; per answer it costs one prefix test of the matched route (or, unmatched, of the path's first segment, decoded
 * only when it holds a `%`) and, for v1, one template fill.
 */
export function v1AnswerHeaders(): (request: FastifyRequest, reply: FastifyReply) => void {
  const deprecation = `@${Math.floor(V1_DEPRECATED_AT.getTime() / 1000)}`;
  const sunset = V1_SUNSET_AT.toUTCString();
  return (request, reply) => {
    // a 405, an OPTIONS 204 or a refused preflight matched no route but answers for one: its successor is that one's
    const route = request.is404 ? answeredRouteOf(request) : request.routeOptions.url;
    if (isV1Answer(route, request.url)) {
      const params = request.is404 ? answeredParamsOf(request) : request.params;
      reply.header('deprecation', deprecation);
      reply.header('sunset', sunset);
      reply.header('link', v1LinkOf(route, (params ?? {}) as Record<string, string | undefined>));
    }
  };
}
