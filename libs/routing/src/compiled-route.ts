import type { UpstreamClient, UpstreamRegistry } from '@frontdoor/upstream';
import { compileBodyFields, type BodyShape } from './body-fields';
import { routeName, type PassThroughMethod, type PassThroughRoute } from './pass-through.route';

/**
 * Response headers every row passes back; rows may add more. Never the upstream's validators (`ETag`,
 * `Last-Modified`): the gateway decodes, redacts, re-serialises or translates every answer, and marks some degraded
 * or stale, so they would label bytes the upstream never sent (RFC 9110 §8.8.3) — refused in a row too.
 */
export const ALWAYS_RETURNED = ['content-language'] as const;

/** A row with everything a request needs resolved once, at start. */
export interface CompiledRoute {
  readonly name: string;
  readonly method: PassThroughMethod;
  readonly upstream: UpstreamClient;
  readonly target: string;
  readonly query: readonly string[];
  readonly headers: readonly string[];
  readonly responseHeaders: readonly string[];
  readonly deadlineMs: number | undefined;
  readonly cache: { readonly ttlS: number; readonly shared: boolean } | undefined;
  readonly fallback: unknown;
  readonly arrays: readonly string[] | undefined;
  readonly redact: ReadonlySet<string> | undefined;
  readonly hasBody: boolean;
  /** The row's `bodyFields`, nested names included (`items[].sku`), compiled. */
  readonly bodyShape: BodyShape | undefined;
  /** The row declares `idempotencyKey`: its upstream call carries the derived key when the request had one. */
  readonly idempotent: boolean;
}

/** @throws Error for an upstream the registry does not know or bad `bodyFields` (the table check names them first) */
export function compileRoute(route: PassThroughRoute, registry: UpstreamRegistry): CompiledRoute {
  return Object.freeze({
    name: routeName(route),
    method: route.method,
    upstream: registry.get(route.upstream),
    target: route.target,
    query: Object.freeze([...(route.query ?? [])]),
    headers: Object.freeze([...(route.headers ?? [])]),
    responseHeaders: Object.freeze([...ALWAYS_RETURNED, ...(route.responseHeaders ?? [])]),
    deadlineMs: route.timeoutMs,
    cache: route.cacheTtlS === undefined ? undefined : Object.freeze({ ttlS: route.cacheTtlS, shared: route.cacheShared === true }),
    fallback: route.fallback === undefined ? undefined : deepFreeze(structuredClone(route.fallback)),
    arrays: route.xmlArrays === undefined ? undefined : Object.freeze([...route.xmlArrays]),
    redact: route.redact === undefined || route.redact.length === 0 ? undefined : new Set(route.redact),
    hasBody: hasBody(route.method),
    bodyShape: route.bodyFields === undefined ? undefined : compileBodyFields(route.bodyFields),
    idempotent: route.idempotencyKey !== undefined,
  });
}

/** Whether requests of a row carry a body to forward. */
export function hasBody(method: PassThroughMethod): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH';
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
