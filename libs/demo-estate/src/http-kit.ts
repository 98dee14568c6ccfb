import type { IncomingHttpHeaders } from 'node:http';

/** A request as a demo route handler sees it: body fully read, query parsed, path params decoded. */
export interface DemoRequest {
  readonly method: string;
  /** The raw path without the query string. */
  readonly pathname: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly params: Readonly<Record<string, string>>;
}

/** What a handler answers; the service host writes it. */
export interface Reply {
  readonly status: number;
  readonly contentType?: string;
  readonly body?: string;
}

export type Handler = (req: DemoRequest) => Reply | Promise<Reply>;

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** `/products/:sku` style; literal segments first in the table win over params (`/orders/recent` before `/orders/:id`). */
  readonly path: string;
  readonly handler: Handler;
}

/** An error a handler throws to answer a problem; rendered in the service's dialect (JSON or XML). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON reply (`application/json; charset=utf-8`). */
export function json(body: unknown, status = 200): Reply {
  return { status, contentType: JSON_TYPE, body: JSON.stringify(body) };
}

/** @throws HttpProblem 400 when `body` is not JSON */
export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new HttpProblem(400, 'the request body is not valid JSON');
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An integer query parameter; absent or empty → `fallback`. @throws HttpProblem 400 when malformed or out of range */
export function intParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max))
    throw new HttpProblem(400, `${name} must be an integer from ${min} to ${max}`);
  return value;
}

/** `limit` (default 20, 1–100) and `offset` (default 0) as every list route reads them. */
export function pageParams(query: URLSearchParams, defaultLimit = 20): { limit: number; offset: number } {
  return {
    limit: intParam(query, 'limit', defaultLimit, 1, 100),
    offset: intParam(query, 'offset', 0, 0, 1_000_000),
  };
}

/** The `{items, total, limit, offset}` page every list route answers. */
export function paginate<T>(
  items: readonly T[],
  page: { limit: number; offset: number },
): { items: T[]; total: number; limit: number; offset: number } {
  return { items: items.slice(page.offset, page.offset + page.limit), total: items.length, ...page };
}

type Matcher = (segments: readonly string[]) => Record<string, string> | undefined;

function compile(path: string): Matcher {
  const pattern = path.split('/').filter(Boolean);
  return (segments) => {
    if (segments.length !== pattern.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < pattern.length; i += 1) {
      const expected = pattern[i] as string;
      const actual = segments[i] as string;
      if (expected.startsWith(':')) params[expected.slice(1)] = decodeSegment(actual);
      else if (expected !== actual) return undefined;
    }
    return params;
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpProblem(400, 'the path is not valid percent-encoding');
  }
}

/**
 * A tiny router: first matching route wins; a path that matches with another method answers 405, nothing → 404.
 */
export function createRouter(routes: readonly Route[]): (req: Omit<DemoRequest, 'params'>) => Promise<Reply> {
  const table = routes.map((route) => ({ route, match: compile(route.path) }));
  return async (req) => {
    const segments = req.pathname.split('/').filter(Boolean);
    let pathKnown = false;
    for (const { route, match } of table) {
      const params = match(segments);
      if (!params) continue;
      pathKnown = true;
      if (route.method === req.method) return route.handler({ ...req, params });
    }
    throw pathKnown
      ? new HttpProblem(405, `${req.method} is not allowed here`)
      : new HttpProblem(404, `no route for ${req.pathname}`);
  };
}
