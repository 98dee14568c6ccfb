// What the load sends: per app, the contract routes at fixed rates (requests per second), each with the statuses
// its answers may have. Negative probes (no token, wrong role, unknown id, another tenant's order) make 401, 403 and
// 404 "expected" exactly where they are sent. Requests go round-robin over the replicas in rotation.

/** Any GET under faults: fine, throttled, or an upstream failure named by its status. */
const GET_OK = [200, 429, 502, 503, 504];

/** Round-robin over an app's replicas; a replica being drained is out of rotation (as a load balancer would do). */
export class Router {
  constructor(replicas) {
    this.replicas = replicas;
    this.out = new Set();
    this.i = 0;
  }

  next() {
    const live = this.replicas.filter((r) => !this.out.has(r.name));
    const pool = live.length > 0 ? live : this.replicas;
    return pool[this.i++ % pool.length];
  }
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];

/** Rates are per second for the whole app (both replicas together). */
export function buildTargets({ tokens, apiKey, samples }) {
  const bearer = (role) => ({ authorization: `Bearer ${tokens[role]}` });
  const partner = { 'x-api-key': apiKey };
  const etags = new Map();
  return [
    { app: 'web-bff', name: 'GET /api/employees/:id (finance)', rps: 5, expect: GET_OK, request: () => ({ path: `/api/employees/${pick(samples.employeeIds)}`, headers: bearer('finance') }) },
    { app: 'web-bff', name: 'GET /api/dashboard', rps: 3, expect: GET_OK, request: () => ({ path: '/api/dashboard', headers: bearer('finance') }) },
    { app: 'web-bff', name: 'GET /api/products', rps: 4, expect: GET_OK, request: () => ({ path: `/api/products?limit=20&offset=${20 * Math.floor(Math.random() * 5)}`, headers: bearer('finance') }) },
    { app: 'web-bff', name: 'GET /api/employees/:id (no token)', rps: 0.5, expect: [401, 429, 503], request: () => ({ path: `/api/employees/${pick(samples.employeeIds)}` }) },
    { app: 'web-bff', name: 'GET /api/employees/:id (warehouse)', rps: 0.5, expect: [403, 429, 503], request: () => ({ path: `/api/employees/${pick(samples.employeeIds)}`, headers: bearer('warehouse') }) },
    { app: 'web-bff', name: 'GET /api/employees/:id (unknown id)', rps: 0.5, expect: [404, 429, 502, 503, 504], request: () => ({ path: '/api/employees/E9999', headers: bearer('finance') }) },
    {
      app: 'mobile-bff',
      name: 'GET /api/products',
      rps: 5,
      expect: [200, 304, 429, 502, 503, 504],
      request: () => {
        const path = `/api/products?limit=${pick([10, 20])}`;
        const etag = etags.get(path);
        return { path, headers: { ...bearer('sales'), ...(etag && Math.random() < 0.5 ? { 'if-none-match': etag } : {}) } };
      },
      seen: (entry) => entry.status === 200 && entry.etag && etags.set(entry.path, entry.etag),
    },
    { app: 'mobile-bff', name: 'GET /api/home', rps: 3, expect: GET_OK, request: () => ({ path: '/api/home', headers: bearer('sales') }) },
    { app: 'partner-bff', name: 'GET /v1/products', rps: 4, expect: GET_OK, request: () => ({ path: `/v1/products?limit=20&offset=${20 * Math.floor(Math.random() * 5)}`, headers: partner }) },
    { app: 'partner-bff', name: 'GET /v1/orders', rps: 3, expect: GET_OK, request: () => ({ path: '/v1/orders?limit=10', headers: partner }) },
    { app: 'partner-bff', name: "GET /v1/orders/:id (another partner's)", rps: 0.5, expect: [404, 429, 502, 503, 504], request: () => ({ path: `/v1/orders/${samples.foreignOrderId}`, headers: partner }) },
  ];
}
