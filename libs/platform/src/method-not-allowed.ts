import { ProblemError } from '@frontdoor/errors';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { instanceOf } from './problem-response';

/** The methods routes are registered for here, in the order `Allow` lists them (HEAD: Fastify's for every GET). */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

type Method = (typeof METHODS)[number];
type Params = Readonly<Record<string, string>>;

/** The error codes of Fastify's router refusals (its `frameworkErrors`): a path it cannot decode, a parameter too long. */
export type RouterRefusal = 'FST_ERR_BAD_URL' | 'FST_ERR_MAX_PARAM_LENGTH';

/**
 * RFC 9110 §15.5.6: a path the gateway serves, asked with a method it does not serve there, is answered 405 with the
 * methods it does serve in `Allow` — not 404, which told a client calling `POST /v1/products` that the resource does
 * not exist. OPTIONS among them: the path answers it ({@link optionsAllow}), and the 405's Allow and the OPTIONS
 * answer's name the same methods (§10.2.1; a black-box audit found OPTIONS missing from the 405's).
 * @param allowed {@link methodsServedAt} of the request
 * @returns the 405 problem, or undefined when no method is served at this path (a 404 it is)
 */
export function methodNotAllowed(method: string, allowed: readonly Method[]): ProblemError | undefined {
  const allow = optionsAllow(allowed);
  if (allow === undefined) return undefined;
  return new ProblemError(
    'method-not-allowed',
    `This resource does not accept ${method}; it accepts ${allow}.`,
    {
      headers: { Allow: allow },
    },
  );
}

/**
 * RFC 9110 §9.3.7: `OPTIONS` on a path the gateway serves (not a CORS preflight: web-bff's CORS answers those it allows,
 * and one no policy admits is a 403, no 2xx) is a 204 naming the methods in `Allow`, OPTIONS included, rather than a
 * 405 saying OPTIONS is not accepted.
 * @param allowed {@link methodsServedAt} of the request
 * @returns the `Allow` value, or undefined when nothing is served at this path (a 404 it is)
 */
export function optionsAllow(allowed: readonly Method[]): string | undefined {
  return allowed.length === 0 ? undefined : [...allowed, 'OPTIONS'].join(', ');
}

type Labelled = FastifyRequest & { answeredRoute?: string; answeredParams?: Params };

/**
 * The route pattern a request the router matched nothing for was answered for (its 405 or its OPTIONS 204: the
 * pattern of the first method its `Allow` names), for the access log and the metrics, so that these answers are
 * counted on their route rather than as `unmatched`; undefined for any other request.
 */
export function answeredRouteOf(request: FastifyRequest): string | undefined {
  return (request as Labelled).answeredRoute;
}

/** The path parameters of the route {@link answeredRouteOf} names, as the router read them from the request's path. */
export function answeredParamsOf(request: FastifyRequest): Params | undefined {
  return (request as Labelled).answeredParams;
}

/**
 * For a request the router matched nothing for, asked once: the methods a route serves at its path, other than the
 * request's own, in `Allow` order (the request is labelled with the pattern of the first: see `answeredRouteOf`) — or
 * the refusal Fastify's router gives those methods there (a path it cannot decode: 400; a path parameter over
 * `maxParamLength`: 414), which then answers this method too. Before, a DELETE or an OPTIONS of `/items/%zz` was a
 * 405 or a 204 naming methods that all answer 400, of a path that does not exist. Asked of Fastify's own router
 * (`findRoute`, find-my-way's match of a concrete path), only once the router has matched nothing: matched requests
 * pay nothing. OPTIONS is not probed: CORS registers it for every path.
 */
export function methodsServedAt(request: FastifyRequest): Method[] | RouterRefusal {
  const path = instanceOf(request.url);
  if (!isDecodable(path)) return 'FST_ERR_BAD_URL';
  const patterns = routePatternsOf(request.server);
  const allowed: Method[] = [];
  for (const method of METHODS) {
    if (method === request.method) continue;
    const params = served(request, method, path, patterns);
    if (params === 'refused') return 'FST_ERR_MAX_PARAM_LENGTH';
    if (params === undefined) continue;
    if (allowed.length === 0) {
      (request as Labelled).answeredRoute = patterns?.patternOf(method, path, params);
      (request as Labelled).answeredParams = params;
    }
    allowed.push(method);
  }
  return allowed;
}

/**
 * The parameters of the route that would serve `method` at `path`, or undefined when none would. A match with an
 * empty parameter (`/items/` against `/items/:id`) does not count: Nest's Fastify adapter answers it as not found
 * (`requireNonEmptyParams`), so an `Allow` naming it would send the client to another 404 — or, with HEAD and GET
 * each naming the other, round in circles.
 */
function served(
  request: FastifyRequest,
  method: Method,
  path: string,
  patterns: RoutePatterns | undefined,
): Params | 'refused' | undefined {
  try {
    const route = request.server.findRoute({ method, url: path });
    if (route === null) return undefined;
    // find-my-way answers a path it refuses (here: a parameter over maxParamLength) with a handler of its own, which
    // calls Fastify's `frameworkErrors`; every route Fastify registered shares one handler
    const routeHandler = patterns?.routeHandlerOf(request.server);
    if (routeHandler !== undefined && route.handler !== routeHandler) return 'refused';
    const params = (route.params ?? {}) as Params;
    for (const name in params) if (params[name] === '' && name !== '*') return undefined;
    return params;
  } catch {
    return undefined; // a path the router cannot read is served for no method: the 404 stands
  }
}

/** Whether find-my-way can decode `path` (it refuses a malformed percent-encoding, `%zz`, `%C3`, with FST_ERR_BAD_URL). */
function isDecodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** A piece of a route pattern: static text, or a parameter's name (`*` for the wildcard). */
type Part = { readonly text: string } | { readonly param: string };

interface Pattern {
  readonly url: string;
  readonly parts: readonly Part[];
  /** Its parameters' names, sorted, comma-separated. */
  readonly names: string;
}

const namesOf = (names: readonly string[]): string => [...names].sort().join(',');

/**
 * A find-my-way pattern (`/items/:id`, `/files/*`, `/at/:lat-:lng`, `/n/:id(^\\d+$)`, `::` for a literal colon) in
 * pieces; a regular expression is dropped (the router has checked it).
 */
function partsOf(url: string): Part[] {
  const parts: Part[] = [];
  let text = '';
  for (let i = 0; i < url.length; i++) {
    const char = url[i] as string;
    if (char === ':' && url[i + 1] === ':') {
      text += ':';
      i++;
    } else if (char === ':') {
      let end = i + 1;
      while (end < url.length && !'(-./'.includes(url[end] as string)) end++;
      if (text !== '') parts.push({ text });
      text = '';
      parts.push({ param: url.slice(i + 1, end) });
      if (url[end] === '(') {
        for (let depth = 0; end < url.length; end++) {
          if (url[end] === '\\') end++;
          else if (url[end] === '(') depth++;
          else if (url[end] === ')' && --depth === 0) break;
        }
        end++;
      }
      i = end - 1;
    } else if (char === '*') {
      if (text !== '') parts.push({ text });
      text = '';
      parts.push({ param: '*' });
    } else {
      text += char;
    }
  }
  if (text !== '') parts.push({ text });
  return parts;
}

/**
 * The route patterns of each method, gathered at start (`onRoute`), to name the route a 405 or an OPTIONS 204 was
 * answered for: Fastify's `findRoute` says whether a route serves a path, and with which parameters, but not which
 * route. Labels stay patterns, so the metrics' cardinality stays bounded by the routes.
 */
export class RoutePatterns {
  private readonly byMethod = new Map<string, Pattern[]>();
  private routeHandler: unknown;

  add(method: string, url: string): void {
    let patterns = this.byMethod.get(method);
    if (patterns === undefined) this.byMethod.set(method, (patterns = []));
    if (patterns.some((pattern) => pattern.url === url)) return;
    const parts = partsOf(url);
    patterns.push({
      url,
      parts,
      names: namesOf(parts.flatMap((part) => ('param' in part ? [part.param] : []))),
    });
  }

  /**
   * The handler find-my-way holds for every route Fastify registered (Fastify's `routeHandler`), found once by
   * routing a path spelt from a registered pattern; undefined when no pattern could be spelt so that it routes.
   */
  routeHandlerOf(server: FastifyInstance): unknown {
    if (this.routeHandler !== undefined) return this.routeHandler;
    for (const [method, patterns] of this.byMethod) {
      for (const pattern of patterns) {
        const url = pattern.parts.map((part) => ('text' in part ? part.text : 'p')).join('');
        // short and decodable: a route found for it is a registered one, never a refusal
        const route = server.findRoute({ method: method as Method, url });
        if (route !== null) {
          this.routeHandler = route.handler;
          return this.routeHandler;
        }
      }
    }
    return undefined;
  }

  /**
   * The pattern of the route the router matched for `method` at `path` with `params`: the one with exactly these
   * parameters that, each replaced by its value, spells the path (percent-decoded, as the router reads it; path
   * hygiene has refused any segment that decodes to a `/`). Two such patterns (`/a/:id`, `/:id/a` for `/a/a`) would
   * both match: the router's choice, static text first, is taken. Undefined if none does (a pattern this misreads).
   */
  patternOf(method: string, path: string, params: Params): string | undefined {
    let decoded: string;
    try {
      decoded = path.split('/').map(decodeURIComponent).join('/');
    } catch {
      return undefined;
    }
    const names = namesOf(Object.keys(params));
    let found: Pattern | undefined;
    for (const pattern of this.byMethod.get(method) ?? []) {
      if (pattern.names !== names) continue;
      let spelt = '';
      for (const part of pattern.parts) spelt += 'text' in part ? part.text : (params[part.param] ?? '\0');
      const better = found === undefined || staticFirst(pattern.parts, found.parts) < 0;
      if (spelt === decoded && better) found = pattern;
    }
    return found?.url;
  }
}

/** Orders two patterns spelling the same path as the router prefers them: longer static text first, left to right. */
function staticFirst(a: readonly Part[], b: readonly Part[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [x, y] = [a[i] as Part, b[i] as Part];
    const [xs, ys] = ['text' in x ? x.text.length : 0, 'text' in y ? y.text.length : 0];
    if (xs !== ys) return ys - xs;
  }
  return 0;
}

const ROUTE_PATTERNS = 'frontdoorRoutePatterns';

function routePatternsOf(server: FastifyInstance): RoutePatterns | undefined {
  return (server as unknown as Record<string, RoutePatterns | undefined>)[ROUTE_PATTERNS];
}

/** Gathers the route patterns (see `RoutePatterns`); installed before the app's routes are registered. */
export function installRoutePatterns(instance: FastifyInstance): void {
  const patterns = new RoutePatterns();
  instance.decorate(ROUTE_PATTERNS, patterns);
  instance.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) patterns.add(method, route.url);
  });
}
