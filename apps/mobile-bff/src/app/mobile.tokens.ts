/** Injection token of the route budget (ROUTE_DEADLINE_MS) that the home screen splits between its parts, ms. */
export const ROUTE_BUDGET_MS = Symbol('ROUTE_BUDGET_MS');

/** Injection token of the page-cursor codec (`PageCursors`), keyed once at start. */
export const PAGE_CURSORS = Symbol('PAGE_CURSORS');
