import { forwardableHeaderProblem, returnableHeaderProblem } from '@frontdoor/upstream';
import { compileBodyFields } from './body-fields';
import { hasBody } from './compiled-route';
import { routeName, type PassThroughRoute } from './pass-through.route';
import { RouteTableError, type RouteTableProblem } from './route-table.errors';

/** What a table is checked against. */
export interface RouteTableContext {
  /** Upstream names that exist (config). */
  readonly upstreams: readonly string[];
  /** Roles that mean something in this app; a row naming another is a typo that would close it. */
  readonly roles: readonly string[];
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const SEGMENT = /^(?::[A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9._~-]+)$/;
const QUERY_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const XML_NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;
const MAX_TIMEOUT_MS = 120_000;
const MAX_TTL_S = 86_400;
const UPSTREAM_VALIDATORS: ReadonlySet<string> = new Set(['etag', 'last-modified']);

/** The `:params` of a path, or undefined when the path is not `/`-separated literal and `:param` segments. */
function paramsOf(path: string): string[] | undefined {
  if (!path.startsWith('/') || path.length === 1) return undefined;
  const params: string[] = [];
  for (const segment of path.slice(1).split('/')) {
    if (!SEGMENT.test(segment) || segment === '.' || segment === '..') return undefined;
    if (segment.startsWith(':')) params.push(segment.slice(1));
  }
  return params;
}

/** The router's view of a path: two rows with the same method and shape would shadow each other. */
function shapeOf(route: PassThroughRoute): string {
  return `${route.method} ${route.path.replace(/:[A-Za-z0-9_]+/g, ':')}`;
}

function isPositiveInteger(value: unknown, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max;
}

type Fail = (problem: RouteTableProblem, detail: string) => never;

function checkRow(route: PassThroughRoute, context: RouteTableContext): void {
  const name = routeName(route);
  const fail: Fail = (problem, detail) => {
    throw new RouteTableError(name, problem, detail);
  };
  if (!METHODS.has(route.method)) fail('invalid-method', 'method must be GET, POST, PUT, PATCH or DELETE');
  const params = paramsOf(route.path);
  if (params === undefined) fail('invalid-path', 'path must be /-separated literal segments and :params, without wildcards or a trailing slash');
  if (new Set(params).size !== params.length) fail('invalid-path', 'path declares a :param twice');
  const targetParams = paramsOf(route.target);
  if (targetParams === undefined) fail('invalid-target', 'target must be /-separated literal segments and :params');
  const undeclared = targetParams.filter((p) => !params.includes(p));
  if (undeclared.length > 0) fail('undeclared-target-param', `target uses :${undeclared.join(', :')}, which the path does not declare`);
  if (!context.upstreams.includes(route.upstream)) fail('unknown-upstream', `upstream ${JSON.stringify(route.upstream)} is not configured`);
  if (!Array.isArray(route.roles) || route.roles.length === 0) fail('no-roles', 'declares no roles: every row must name who may call it');
  const unknownRoles = route.roles.filter((r) => !context.roles.includes(r));
  if (unknownRoles.length > 0) fail('unknown-role', `role(s) ${unknownRoles.join(', ')} do not exist in this app`);
  if (route.timeoutMs !== undefined && !isPositiveInteger(route.timeoutMs, MAX_TIMEOUT_MS)) fail('invalid-timeout', `timeoutMs must be an integer from 1 to ${MAX_TIMEOUT_MS}`);
  checkCaching(route, fail);
  checkForwarding(route, fail);
  checkIdempotency(route, params, fail);
}

function checkCaching(route: PassThroughRoute, fail: Fail): void {
  if (route.cacheTtlS !== undefined && route.method !== 'GET') fail('cache-on-non-get', `only GET rows may be cached, not ${route.method}`);
  if (route.cacheTtlS !== undefined && !isPositiveInteger(route.cacheTtlS, MAX_TTL_S)) fail('invalid-cache', `cacheTtlS must be an integer from 1 to ${MAX_TTL_S}`);
  if (route.cacheShared !== undefined && route.cacheTtlS === undefined) fail('invalid-cache', 'cacheShared without cacheTtlS means nothing');
  if (route.fallback !== undefined && route.method !== 'GET') fail('fallback-on-non-get', 'only GET rows may declare a fallback');
  if (route.fallback !== undefined && (typeof route.fallback !== 'object' || route.fallback === null)) {
    fail('invalid-option', 'fallback must be a JSON object or array');
  }
}

const IDEMPOTENCY_KEY_POLICIES: ReadonlySet<unknown> = new Set(['required', 'optional']);

function checkIdempotency(route: PassThroughRoute, params: readonly string[], fail: Fail): void {
  // forwarded raw, the same key from two users would meet at the upstream (one could get the other's order)
  if (route.headers?.includes('idempotency-key')) fail('forbidden-header', 'request header "idempotency-key" is never forwarded raw: declare idempotencyKey instead');
  if (route.idempotencyKey === undefined) return;
  if (!IDEMPOTENCY_KEY_POLICIES.has(route.idempotencyKey)) fail('invalid-option', 'idempotencyKey must be "required" or "optional"');
  if (route.method !== 'POST' && route.method !== 'PATCH') {
    fail('idempotency-on-idempotent-method', `idempotencyKey is for POST and PATCH rows: ${route.method} is idempotent by HTTP already`);
  }
  // records are told apart by the route pattern, not its values: /x/1 and /x/2 with one key and body would share an answer
  if (params.length > 0) fail('invalid-option', 'idempotencyKey on a row with :params would replay the answer for one resource to a request for another');
}

function checkForwarding(route: PassThroughRoute, fail: Fail): void {
  const query = route.query ?? [];
  const bad = query.find((q) => !QUERY_NAME.test(q));
  if (bad !== undefined) fail('invalid-query-param', `query parameter ${JSON.stringify(bad)} is not a plain name`);
  if (new Set(query).size !== query.length) fail('invalid-query-param', 'a query parameter is listed twice');
  for (const header of route.headers ?? []) {
    const problem = forwardableHeaderProblem(header);
    if (problem !== undefined) fail('forbidden-header', `request header ${JSON.stringify(header)} ${problem}`);
  }
  for (const header of route.responseHeaders ?? []) {
    const problem = returnableHeaderProblem(header);
    if (problem !== undefined) fail('forbidden-header', `response header ${JSON.stringify(header)} ${problem}`);
    // the gateway re-serialises every answer: the upstream's validator would label other bytes (see ALWAYS_RETURNED)
    if (UPSTREAM_VALIDATORS.has(header)) {
      fail('forbidden-header', `response header ${JSON.stringify(header)} validates the upstream's bytes, not the gateway's answer`);
    }
  }
  if (route.xmlRoot !== undefined && (!XML_NAME.test(route.xmlRoot) || /^xml/i.test(route.xmlRoot))) fail('invalid-option', 'xmlRoot must be an XML element name');
  if ((route.redact ?? []).some((k) => typeof k !== 'string' || k === '')) fail('invalid-option', 'redact must list non-empty key names');
  checkBodyFields(route, fail);
}

function checkBodyFields(route: PassThroughRoute, fail: Fail): void {
  const fields = route.bodyFields;
  if (!hasBody(route.method)) {
    if (fields !== undefined) fail('invalid-option', `bodyFields on a ${route.method} row means nothing: it forwards no body`);
    return;
  }
  if (fields === undefined || fields.length === 0) fail('invalid-option', `a ${route.method} row must name its bodyFields: nothing unnamed reaches the upstream`);
  if (fields.some((f) => typeof f !== 'string' || f === '')) fail('invalid-option', 'bodyFields must list non-empty field names');
  if (new Set(fields).size !== fields.length) fail('invalid-option', 'a body field is listed twice');
  try {
    compileBodyFields(fields);
  } catch (error) {
    fail('invalid-option', (error as Error).message);
  }
}

/**
 * Checks a whole table, at start and in each app's unit test: method, path and target syntax, duplicate routes
 * (same method and path shape), target params the path does not declare, unknown upstreams, rows without roles or
 * with unknown roles, timeouts, caching and fallbacks on non-GET rows, query names, forwarded/returned headers
 * (never credentials, identity, hop-by-hop or estate-revealing headers, upstream validators, nor a raw
 * Idempotency-Key), nested `bodyFields` names with their types (`items[].sku:string`), and
 * `idempotencyKey` (POST and PATCH rows without `:params` only).
 * @throws RouteTableError naming the first bad row
 */
export function checkRouteTable(routes: readonly PassThroughRoute[], context: RouteTableContext): void {
  const seen = new Map<string, string>();
  for (const route of routes) {
    checkRow(route, context);
    const shape = shapeOf(route);
    const other = seen.get(shape);
    if (other !== undefined) throw new RouteTableError(routeName(route), 'duplicate-route', `duplicates ${other}`);
    seen.set(shape, routeName(route));
  }
}
