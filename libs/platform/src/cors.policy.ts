import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The options of `@fastify/cors`, as Nest's `enableCors` takes them. */
type FastifyCorsOptions = NonNullable<Parameters<NestFastifyApplication['enableCors']>[0]>;

/** Who may call an app from a browser, and with what. Built into the CORS handler once, at start. */
export interface CorsPolicy {
  /** Exact origins (`scheme://host[:port]`, as browsers serialize them); nothing else is ever allowed, `null` never. */
  readonly origins: readonly string[];
  readonly methods: readonly string[];
  /** Request headers a preflight allows (beyond the CORS-safelisted ones). */
  readonly allowedHeaders: readonly string[];
  /** Response headers the browser lets scripts read. */
  readonly exposedHeaders: readonly string[];
  /** How long a browser may cache a preflight answer, seconds. */
  readonly maxAgeS: number;
}

/**
 * Whether a request's `Origin` is one of `allowed`, compared as exact strings: no pattern, no suffix or prefix match
 * (`http://localhost:4200.evil.com` is not `http://localhost:4200`), no scheme or port leniency, and the opaque
 * origin `null` (sandboxed frames, `file:`, redirects) is never allowed, whatever the list holds.
 */
export function isAllowedOrigin(allowed: ReadonlySet<string>, origin: string | undefined): boolean {
  return origin !== undefined && origin !== 'null' && allowed.has(origin);
}

/**
 * The `@fastify/cors` options of a policy. Runs in `preParsing`, i.e. after the door's `onRequest` hooks (IP lists,
 * request id, path hygiene) and before any guard: a preflight (no token) from an allowed origin is answered 204
 * there; every routed answer — 401/403/429 and problems included — carries `Vary: Origin`, and, for an allowed
 * origin only, that origin (never `*`, never reflected otherwise) and `Access-Control-Allow-Credentials: true`.
 * A preflight from any other origin gets no CORS header and falls through to a 403 problem.
 */
export function corsOptionsOf(policy: CorsPolicy): FastifyCorsOptions {
  const allowed: ReadonlySet<string> = new Set(policy.origins);
  return {
    hook: 'preParsing',
    origin: (origin: string | undefined, callback: (error: Error | null, allow: boolean) => void) => callback(null, isAllowedOrigin(allowed, origin)),
    credentials: true,
    methods: [...policy.methods],
    allowedHeaders: [...policy.allowedHeaders],
    exposedHeaders: [...policy.exposedHeaders],
    maxAge: policy.maxAgeS,
    // An OPTIONS without Access-Control-Request-Method is no preflight: installPlainOptions answers it before this
    // plugin's hook runs (strict mode would answer it a plain-text 400).
    strictPreflight: false,
  };
}

/** Adds the CORS headers of an error answer (`isError`: by default, a status of 400 or more) when no CORS hook did. */
export type CorsForErrors = (request: FastifyRequest, reply: FastifyReply, isError?: boolean) => void;

/**
 * The CORS headers of an error answered before `@fastify/cors` ran (`preParsing`): the door's refusals in
 * `onRequest` (path hygiene, IP lists, draining) and Fastify's own (a URL it cannot decode, answered by the
 * `frameworkErrors` handler, which no hook sees) went out without them, so a browser script of an allowed origin could
 * not read those problems (found by a black-box probe: `/api/hr/employees/a%2Fb` → 400 without `Vary: Origin`). For
 * an answer ≥ 400 whose `Vary` does not name `Origin` yet: `Vary: Origin`, and for an allowed origin the same headers
 * as every other answer. The CORS hook itself stays after the door, so IP_DENY keeps coming before anything else,
 * preflights included.
 */
export function corsForErrorsOf(policy: CorsPolicy): CorsForErrors {
  const allowed: ReadonlySet<string> = new Set(policy.origins);
  const exposed = policy.exposedHeaders.join(', ');
  return (request, reply, isError = reply.statusCode >= 400) => {
    if (!isError) return;
    const vary = reply.getHeader('vary');
    const varied = typeof vary === 'string' ? vary : Array.isArray(vary) ? vary.join(', ') : '';
    if (/(?:^|,)\s*origin\s*(?:,|$)/i.test(varied)) return;
    reply.header('vary', varied === '' ? 'origin' : `${varied}, origin`);
    const origin = request.headers.origin;
    if (!isAllowedOrigin(allowed, origin)) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-allow-credentials', 'true');
    if (exposed !== '') reply.header('access-control-expose-headers', exposed);
  };
}

/** {@link corsForErrorsOf} on every answer that passes the hooks (one status check per answer). */
export function installCorsFallback(instance: FastifyInstance, corsForErrors: CorsForErrors): void {
  instance.addHook('onSend', (request, reply, payload, done) => {
    corsForErrors(request, reply);
    done(null, payload);
  });
}

/**
 * An OPTIONS without `Access-Control-Request-Method` is no preflight (Fetch §3.2.2), even with an `Origin`: a script's
 * own OPTIONS request, sent after its preflight. `@fastify/cors` decides per route only, and answers every OPTIONS
 * from an allowed origin as a preflight (204 with preflight headers and no `Allow`, on any path, even one nothing
 * serves). This hook, after the door's, hands such a request to the not-found handler before the plugin's
 * `preParsing` hook: it gets the app's own OPTIONS answer (204 with `Allow`, or a 404 problem) with the CORS headers
 * of any answer. A method and header test per request, nothing allocated: choosing the plugin's options per request
 * (its `delegator`) cost 1.3 KB of allocation on every request of web-bff (docs/benchmarks.md §13).
 */
export function installPlainOptions(instance: FastifyInstance, corsForErrors: CorsForErrors): void {
  instance.addHook('onRequest', (request, reply, done) => {
    const headers = request.headers;
    if (request.method !== 'OPTIONS' || headers.origin === undefined || headers['access-control-request-method'] !== undefined) {
      done();
      return;
    }
    corsForErrors(request, reply, true);
    reply.callNotFound();
  });
}
