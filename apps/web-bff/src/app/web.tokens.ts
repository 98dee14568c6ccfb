/** Injection token of the route budget (ROUTE_DEADLINE_MS) that aggregations split between their parts, ms. */
export const ROUTE_BUDGET_MS = Symbol('ROUTE_BUDGET_MS');
