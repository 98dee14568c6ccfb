import type { NestFastifyApplication } from '@nestjs/platform-fastify';

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
 * A preflight from any other origin gets no CORS header and falls through to a 404 problem.
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
    // An OPTIONS without Access-Control-Request-Method is no preflight; answered like one rather than as plain text.
    strictPreflight: false,
  };
}
