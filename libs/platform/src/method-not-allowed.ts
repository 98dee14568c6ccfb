import { ProblemError } from '@frontdoor/errors';
import type { FastifyRequest } from 'fastify';
import { instanceOf } from './problem-response';

/** The methods routes are registered for here, in the order `Allow` lists them (HEAD: Fastify's for every GET). */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * RFC 9110 §15.5.6: a path the gateway serves, asked with a method it does not serve there, is answered 405 with the
 * methods it does serve in `Allow` — not 404, which told a client calling `POST /v1/products` that the resource does
 * not exist. Asked of Fastify's own router (`findRoute`, find-my-way's match of a concrete path), only once the router
 * has matched nothing: matched requests pay nothing. OPTIONS is not probed: CORS registers it for every path.
 * @returns the 405 problem, or undefined when no method is served at this path (a 404 it is)
 */
export function methodNotAllowed(request: FastifyRequest): ProblemError | undefined {
  const allowed = allowedMethods(request);
  if (allowed.length === 0) return undefined;
  const allow = allowed.join(', ');
  return new ProblemError(
    'method-not-allowed',
    `This resource does not accept ${request.method}; it accepts ${allow}.`,
    { headers: { Allow: allow } },
  );
}

/** The methods a route serves at the request's path, other than the request's own, in `Allow` order. */
export function allowedMethods(request: FastifyRequest): string[] {
  const path = instanceOf(request.url);
  return METHODS.filter((method) => method !== request.method && served(request, method, path));
}

/**
 * RFC 9110 §9.3.7: `OPTIONS` on a path the gateway serves (not a CORS preflight: web-bff's CORS answers those it allows,
 * and one it refuses keeps its 405, no 2xx) is
 * a 204 naming the methods in `Allow`, OPTIONS included, rather than a 405 saying OPTIONS is not accepted.
 * @returns the `Allow` value, or undefined when nothing is served at this path (a 404 it is)
 */
export function optionsAllow(request: FastifyRequest): string | undefined {
  const allowed = allowedMethods(request);
  return allowed.length === 0 ? undefined : [...allowed, 'OPTIONS'].join(', ');
}

/**
 * Whether a route would serve `method` at `path`. A match with an empty parameter (`/items/` against `/items/:id`)
 * does not count: Nest's Fastify adapter answers it as not found (`requireNonEmptyParams`), so an `Allow` naming it
 * would send the client to another 404 — or, with HEAD and GET each naming the other, round in circles.
 */
function served(request: FastifyRequest, method: (typeof METHODS)[number], path: string): boolean {
  try {
    const route = request.server.findRoute({ method, url: path });
    if (route === null) return false;
    const params = route.params as Record<string, string> | undefined;
    for (const name in params) if (params[name] === '' && name !== '*') return false;
    return true;
  } catch {
    return false; // a path the router cannot read is served for no method: the 404 stands
  }
}
