import { asDegraded, noteDegraded, type Degraded } from '@frontdoor/aggregation';
import { ProblemError, isUpstreamError } from '@frontdoor/errors';
import { upstreamIdempotencyKeyOf } from '@frontdoor/idempotency';
import { callContextOf, principalOf } from '@frontdoor/platform';
import {
  buildPath,
  cacheAllowance,
  cacheKeyOf,
  connectionTokens,
  pickHeaders,
  type CachedResponse,
  type ResponseCache,
  type UpstreamRequest,
  type UpstreamResponse,
} from '@frontdoor/upstream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CompiledRoute } from './compiled-route';
import { refuseBadBodyFields } from './body-fields';
import { redactKeys } from './redact';

/** What the gateway asks every upstream for: JSON, or XML from those that only speak it. */
const UPSTREAM_ACCEPT = 'application/json, application/xml;q=0.9';
const JSON_BODY = /^application\/(?:[a-z0-9.+-]+\+)?json\b/i;
/** The mark of a bare scalar served stale (noted on its reply). */
const STALE: Degraded = Object.freeze({ reason: 'stale', missing: Object.freeze([]) });

type Query = Record<string, string>;

/**
 * Serves pass-through rows: one upstream call per request through the upstream's policy stack, with only what the
 * row allows forwarded either way, and — for cached GET rows — the response cache and stale-if-error.
 *
 * Order for a cached row: fresh copy → answer it; else call; on an upstream failure (5xx class, open circuit,
 * budget, timeout, garbage) a stale copy (marked `stale`), else the row's fallback (marked `partial`), else the
 * error. 4xx answers (404, 422…) are answers, never replaced by a copy.
 */
/** Where cache lookups are counted (the app's `HttpMetrics`). */
export interface CacheObserver {
  observeCache(route: string, result: 'hit' | 'miss' | 'stale'): void;
}

export class PassThroughHandler {
  constructor(
    private readonly routes: readonly CompiledRoute[],
    private readonly cache: ResponseCache,
    private readonly observer?: CacheObserver,
  ) {}

  async handle(index: number, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const route = this.routes[index] as CompiledRoute;
    const call = this.upstreamCall(route, request);
    if (route.cache === undefined && route.fallback === undefined) {
      // decoded within the call, so that an undecodable 2xx is recorded as the bad response it is (trace, metrics)
      const { response, value } = await route.upstream.requestDecoded(call, { arrays: route.arrays });
      return this.answer(route, reply, response, value);
    }
    return this.withFallbacks(route, request, reply, call);
  }

  /** The upstream request: validated target path, allow-listed query and headers, JSON body, identity. */
  private upstreamCall(route: CompiledRoute, request: FastifyRequest): UpstreamRequest {
    const ctx = callContextOf(request);
    const base = Object.assign({}, ctx.headers, { accept: UPSTREAM_ACCEPT });
    const headers = pickHeaders(request.headers, route.headers, base) as Record<string, string>;
    if (route.idempotent) {
      // derived from the client's key and the principal: two users' keys never meet at the upstream. Set when the
      // interceptor claimed a key, so a retry after an unknown outcome (504) gets the first order back upstream
      const key = upstreamIdempotencyKeyOf(request);
      if (key !== undefined) headers['idempotency-key'] = key;
    }
    return {
      method: route.method,
      path: buildPath(route.target, request.params as Record<string, string>),
      query: pickQuery(request.query, route.query),
      ...bodyOf(route, request, headers),
      headers,
      deadlineMs: route.deadlineMs,
      routeDeadline: route.deadlineMs !== undefined,
      spentMs: ctx.spentMs,
      identity: ctx.identity,
      trace: ctx.trace,
      // GET/HEAD rows: cancelled when the client goes away; a body row's call runs to its answer (callContextOf)
      signal: ctx.signal,
    };
  }

  private async withFallbacks(route: CompiledRoute, request: FastifyRequest, reply: FastifyReply, call: UpstreamRequest): Promise<unknown> {
    const key = route.cache === undefined ? undefined : this.keyOf(route, request, call);
    const copy = key === undefined ? undefined : await this.cache.get(key);
    if (copy !== undefined && this.cache.isFresh(copy)) {
      this.observer?.observeCache(route.name, 'hit');
      return this.fromCache(route, reply, copy, false);
    }
    if (key !== undefined) this.observer?.observeCache(route.name, 'miss');
    try {
      const { response, value: decoded } = await route.upstream.requestDecoded(call, { arrays: route.arrays });
      const value = this.answer(route, reply, response, decoded);
      if (key !== undefined && response.status === 200) this.store(route, key, response, value);
      return value;
    } catch (error) {
      if (!isUpstreamError(error)) throw error;
      if (copy !== undefined) {
        this.observer?.observeCache(route.name, 'stale');
        return this.fromCache(route, reply, copy, true);
      }
      if (route.fallback !== undefined) {
        reply.status(200);
        return asDegraded(structuredClone(route.fallback) as object, { reason: 'partial', missing: [route.upstream.name] });
      }
      throw error;
    }
  }

  /**
   * A 2xx answer, decoded (XML or JSON → plain data) and redacted, with the row's response headers. The client (a
   * private cache) may keep a cached row's answer for the row's TTL, cut to what the upstream's own Cache-Control
   * allows a private cache (`no-store`, `no-cache`, `Set-Cookie` or `Vary: *` → `no-store`; a `max-age` lower than the
   * TTL → that); never longer.
   */
  private answer(
    route: CompiledRoute,
    reply: FastifyReply,
    response: UpstreamResponse,
    value: unknown = route.upstream.decode(response, { arrays: route.arrays }),
  ): unknown {
    reply.status(response.status);
    copyResponseHeaders(reply, response.headers, route.responseHeaders);
    const ttlS = route.cache === undefined ? 0 : cacheAllowance(response.headers, route.cache.ttlS, false).ttlS;
    reply.header('cache-control', ttlS > 0 ? `private, max-age=${ttlS}` : 'no-store');
    return route.redact === undefined ? value : redactKeys(value, route.redact);
  }

  private fromCache(route: CompiledRoute, reply: FastifyReply, copy: CachedResponse, stale: boolean): unknown {
    const response: UpstreamResponse = { status: copy.status, headers: copy.headers, body: copy.body };
    const value = this.answer(route, reply, response);
    if (!stale) {
      reply.header('cache-control', `private, max-age=${Math.max(0, Math.floor((copy.freshUntil - Date.now()) / 1000))}`);
      return value;
    }
    if (typeof value === 'object' && value !== null) return asDegraded(value, { reason: 'stale', missing: [] });
    // a bare JSON scalar cannot carry the mark: its reply does (the access line and metric read it there)
    noteDegraded(reply, STALE);
    reply.header('x-degraded', 'stale').header('cache-control', 'no-store');
    return value;
  }

  private keyOf(route: CompiledRoute, request: FastifyRequest, call: UpstreamRequest): string {
    const cache = route.cache as NonNullable<CompiledRoute['cache']>;
    const principal = principalOf(request);
    return cacheKeyOf({
      upstream: route.upstream.name,
      path: pathWithQuery(call),
      headers: pickHeaders(request.headers, route.headers, {}),
      audience: cache.shared ? { shared: true } : { shared: false, principal: `${principal.kind}:${principal.id}` },
    });
  }

  /**
   * Stores what the upstream's Cache-Control allows; the client's answer does not wait for the store. A redacted
   * row stores its redacted value (as JSON), never the upstream's raw body.
   */
  private store(route: CompiledRoute, key: string, response: UpstreamResponse, value: unknown): void {
    const cache = route.cache as NonNullable<CompiledRoute['cache']>;
    const { ttlS } = cacheAllowance(response.headers, cache.ttlS, cache.shared);
    if (ttlS === 0) return;
    const headers: Record<string, string> = {};
    const type = route.redact === undefined ? response.headers['content-type'] : 'application/json';
    if (typeof type === 'string') headers['content-type'] = type;
    const body = route.redact === undefined ? response.body : Buffer.from(JSON.stringify(value ?? null));
    const named = connectionTokens(response.headers['connection']);
    for (const name of route.responseHeaders) {
      const value = response.headers[name];
      if (typeof value === 'string' && !named?.has(name)) headers[name] = value;
    }
    void this.cache.put(key, { status: response.status, headers, body }, ttlS);
  }
}

/**
 * The JSON body of a body row, checked against the fields the row names. A body row forwards one: a request
 * without any (no bytes, no Content-Type: Fastify leaves `request.body` undefined, BodyDecodingGuard has nothing
 * to decode) is refused here, as an empty `application/json` body is by the parser; nothing is sent upstream.
 * @throws ProblemError 400 (no body, or one `refuseBadBodyFields` refuses), 415 (not JSON)
 */
function bodyOf(
  route: CompiledRoute,
  request: FastifyRequest,
  headers: Record<string, string>,
): { body?: string } {
  if (!route.hasBody) return {};
  if (request.body === undefined) {
    throw new ProblemError('bad-request', 'This route requires a JSON request body.');
  }
  if (!JSON_BODY.test(request.headers['content-type'] ?? '')) {
    throw new ProblemError('unsupported-media-type', 'This route accepts application/json request bodies only.');
  }
  if (route.bodyShape !== undefined) refuseBadBodyFields(request.body, route.bodyShape);
  if (request.body === null) return {};
  headers['content-type'] = 'application/json';
  return { body: JSON.stringify(request.body) };
}

/**
 * The row's query parameters, each given at most once. A repeated one is refused, neither cut to its first value
 * nor forwarded as a list: a row declares plain names, not lists (the estate's lists are one comma-separated
 * value, `employeeIds=E1,E2`), the upstream call carries one value per name, and an upstream taking the last
 * value where the gateway took the first would filter (and be cached) other than the gateway checked.
 * @throws ProblemError `validation-failed` (400) naming each repeated parameter
 */
function pickQuery(query: unknown, allowed: readonly string[]): Query | undefined {
  if (allowed.length === 0 || typeof query !== 'object' || query === null) return undefined;
  let picked: Query | undefined;
  const repeated: string[] = [];
  for (const name of allowed) {
    const value = (query as Record<string, unknown>)[name];
    if (Array.isArray(value)) repeated.push(`${name} must be given once`);
    if (typeof value !== 'string') continue;
    picked ??= {};
    picked[name] = value;
  }
  if (repeated.length > 0) {
    throw new ProblemError('validation-failed', 'The request has invalid fields.', { extensions: { errors: repeated } });
  }
  return picked;
}

function pathWithQuery(call: UpstreamRequest): string {
  if (call.query === undefined) return call.path;
  const names = Object.keys(call.query).sort();
  return `${call.path}?${names.map((n) => `${encodeURIComponent(n)}=${encodeURIComponent(String(call.query?.[n]))}`).join('&')}`;
}

function copyResponseHeaders(reply: FastifyReply, headers: UpstreamResponse['headers'], allowed: readonly string[]): void {
  const named = connectionTokens(headers['connection']);
  for (const name of allowed) {
    const value = headers[name];
    if (typeof value === 'string' && !named?.has(name)) reply.header(name, value);
  }
}
