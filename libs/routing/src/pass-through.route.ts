import type { IdempotencyKeyPolicy } from '@frontdoor/idempotency';

/** The methods a pass-through row may declare. Only GET rows are cached or retried. */
export type PassThroughMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One row of a pass-through route table: a public route of the BFF answered by one upstream call, through the
 * normal Nest pipeline (authentication, rate limit, roles, negotiation, the problem filter). Data, checked at start
 * (`checkRouteTable`) and by a unit test of each app's table.
 *
 * Nothing from the client reaches the upstream unless a row names it: path params go through `buildPath` (validated,
 * encoded), only `query` parameters and `headers` are forwarded, only JSON object bodies with the `bodyFields` named.
 */
export interface PassThroughRoute {
  readonly method: PassThroughMethod;
  /** Public path, `/`-separated literal segments and `:params` (no wildcards): `/api/inventory/products/:sku`. */
  readonly path: string;
  /** Logical upstream name (`inventory`, `hr`, `payroll`, `sales`, `customers`). */
  readonly upstream: string;
  /** Upstream path; its `:params` must all be declared by `path`: `/products/:sku`. */
  readonly target: string;
  /** Roles allowed (any one suffices). Never empty: a row without roles is refused at start. */
  readonly roles: readonly string[];
  /** Whole-call deadline of the row, ms (retries included). Default: ROUTE_DEADLINE_MS. */
  readonly timeoutMs?: number;
  /** GET only: answers are cached this long (seconds), honouring the upstream's Cache-Control, then kept for stale-if-error. */
  readonly cacheTtlS?: number;
  /** The answer is the same for every principal allowed on the row, so one cached copy serves them all. Default false. */
  readonly cacheShared?: boolean;
  /** GET only: served (marked degraded) when the upstream fails and no cached copy is left. */
  readonly fallback?: unknown;
  /** Query parameters forwarded, one value each (a repeated one is refused with 400); every other one is dropped. */
  readonly query?: readonly string[];
  /** Request headers forwarded, lower-case (besides the always-on x-request-id, traceparent and accept). */
  readonly headers?: readonly string[];
  /** Response headers passed back, lower-case (besides the always-on content-language; never etag or last-modified). */
  readonly responseHeaders?: readonly string[];
  /** XML upstreams: elements always decoded as arrays (see `decodeXml`). */
  readonly xmlArrays?: readonly string[];
  /**
   * Rows with a body (POST, PUT, PATCH), required there: the fields a JSON body may carry, nested ones by path, each
   * leaf with its type — `customerId:string`, `items[].quantity:integer` (`items` an array of objects with only the
   * fields named under it), `address.city:string` (an object); types: string, integer, number, boolean; a type
   * ending in `!` marks the field required (`customerId:string!`; `items[].sku:string!` requires `items` and a `sku`
   * in each element). A missing body, one that is not a JSON object, one with any other field at a named depth, a
   * leaf of another type (null included) or a required field missing is refused with 400 before any upstream call (no mass assignment: a client cannot set what the row does
   * not name, e.g. an order's `partnerId` or a line's `unitPrice`; no object where a scalar is meant).
   */
  readonly bodyFields?: readonly string[];
  /** Keys removed from the decoded answer at any depth (e.g. `bankAccount`). */
  readonly redact?: readonly string[];
  /** Root element of XML answers to clients. Default `response`. */
  readonly xmlRoot?: string;
  /**
   * POST and PATCH rows without `:params`: the row honours an `Idempotency-Key` header (8–255 visible ASCII; malformed
   * → 400) as `@Idempotent()` routes do — per principal, the same key and body replay the first answer and its status,
   * another body is 422, concurrent duplicates make one upstream call, a failed attempt frees the key — and the
   * upstream gets a key derived from the client's and the principal, never the client's own. `optional`: a request
   * without the header is served as before; `required`: it is 400. The app must import `IdempotencyModule.forRoot`.
   * Rows without it carry no interceptor at all.
   */
  readonly idempotencyKey?: IdempotencyKeyPolicy;
}

/** `GET /api/x/:id`: how errors and logs name a row. */
export function routeName(route: Pick<PassThroughRoute, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
