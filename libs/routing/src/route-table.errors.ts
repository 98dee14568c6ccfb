/** What is wrong with a route-table row. */
export type RouteTableProblem =
  | 'invalid-method'
  | 'invalid-path'
  | 'duplicate-route'
  | 'invalid-target'
  | 'undeclared-target-param'
  | 'no-roles'
  | 'unknown-role'
  | 'unknown-upstream'
  | 'invalid-timeout'
  | 'cache-on-non-get'
  | 'invalid-cache'
  | 'fallback-on-non-get'
  | 'idempotency-on-idempotent-method'
  | 'idempotency-not-imported'
  | 'invalid-query-param'
  | 'forbidden-header'
  | 'invalid-option';

/**
 * A route table that cannot be served. Raised at start (the app does not start) and by each app's table test; the
 * message names the row (`GET /api/x/:id`) and the problem, never a host.
 */
export class RouteTableError extends Error {
  override readonly name = 'RouteTableError';

  constructor(
    readonly route: string,
    readonly problem: RouteTableProblem,
    detail: string,
  ) {
    super(`route ${route}: ${detail}`);
  }
}
