import { checkRouteTable } from './route-table.check';
import { RouteTableError } from './route-table.errors';
import type { PassThroughRoute } from './pass-through.route';

const context = { upstreams: ['inventory', 'sales', 'payroll'], roles: ['admin', 'sales', 'warehouse'] };
const good: PassThroughRoute = { method: 'GET', path: '/api/inventory/products/:sku', upstream: 'inventory', target: '/products/:sku', roles: ['warehouse'] };

function problemOf(routes: readonly PassThroughRoute[]): [string, string] | undefined {
  try {
    checkRouteTable(routes, context);
    return undefined;
  } catch (error) {
    if (!(error instanceof RouteTableError)) throw error;
    return [error.problem, error.message];
  }
}

describe('checkRouteTable', () => {
  it('accepts a sound table', () => {
    expect(
      problemOf([
        good,
        { method: 'GET', path: '/api/inventory/products', upstream: 'inventory', target: '/products', roles: ['warehouse', 'sales'], query: ['limit'], cacheTtlS: 30, cacheShared: true, fallback: { items: [] } },
        { method: 'POST', path: '/api/sales/orders', upstream: 'sales', target: '/orders', roles: ['sales'], timeoutMs: 1500, headers: ['accept-language'], bodyFields: ['customerId:string', 'items[].sku:string', 'address.lines[].text:string'] },
        { method: 'GET', path: '/api/sales/orders/recent', upstream: 'sales', target: '/orders/recent', roles: ['sales'] },
        { method: 'POST', path: '/api/sales/quotes', upstream: 'sales', target: '/quotes', roles: ['sales'], bodyFields: ['items:string'], idempotencyKey: 'optional' },
        { method: 'PATCH', path: '/api/sales/settings', upstream: 'sales', target: '/settings', roles: ['admin'], bodyFields: ['currency:string'], idempotencyKey: 'required' },
      ]),
    ).toBeUndefined();
  });

  it.each<[string, Partial<PassThroughRoute>, string, string]>([
    ['an unknown method', { method: 'TRACE' as never }, 'invalid-method', 'route TRACE /api/inventory/products/:sku: method must be GET, POST, PUT, PATCH or DELETE'],
    ['a wildcard path', { path: '/api/inventory/*' }, 'invalid-path', 'route GET /api/inventory/*: path must be'],
    ['a trailing slash', { path: '/api/inventory/products/' }, 'invalid-path', 'route GET /api/inventory/products/: path must be'],
    ['a dot segment', { path: '/api/../products' }, 'invalid-path', 'path must be'],
    ['a param twice', { path: '/api/:sku/:sku' }, 'invalid-path', 'declares a :param twice'],
    ['a relative target', { target: 'products/:sku' }, 'invalid-target', 'target must be'],
    ['a target param the path does not declare', { target: '/products/:id' }, 'undeclared-target-param', 'route GET /api/inventory/products/:sku: target uses :id, which the path does not declare'],
    ['an unknown upstream', { upstream: 'billing' }, 'unknown-upstream', 'upstream "billing" is not configured'],
    ['no roles', { roles: [] }, 'no-roles', 'route GET /api/inventory/products/:sku: declares no roles'],
    ['an unknown role (typo)', { roles: ['warehouse', 'Admin'] }, 'unknown-role', 'role(s) Admin do not exist in this app'],
    ['a zero timeout', { timeoutMs: 0 }, 'invalid-timeout', 'timeoutMs must be an integer'],
    ['caching a POST', { method: 'POST', cacheTtlS: 10 }, 'cache-on-non-get', 'route POST /api/inventory/products/:sku: only GET rows may be cached, not POST'],
    ['a fractional TTL', { cacheTtlS: 1.5 }, 'invalid-cache', 'cacheTtlS must be an integer'],
    ['cacheShared without a TTL', { cacheShared: true }, 'invalid-cache', 'cacheShared without cacheTtlS'],
    ['a fallback on a DELETE', { method: 'DELETE', fallback: {} }, 'fallback-on-non-get', 'only GET rows may declare a fallback'],
    ['a scalar fallback', { fallback: 'n/a' }, 'invalid-option', 'fallback must be a JSON object or array'],
    ['a query name with markup', { query: ['a<b'] }, 'invalid-query-param', 'is not a plain name'],
    ['a query name twice', { query: ['limit', 'limit'] }, 'invalid-query-param', 'listed twice'],
    ['forwarding Authorization', { headers: ['authorization'] }, 'forbidden-header', 'request header "authorization" may carry credentials'],
    ['forwarding a hop-by-hop header', { headers: ['connection'] }, 'forbidden-header', 'is a hop-by-hop header'],
    ['forwarding X-User-Id', { headers: ['x-user-id'] }, 'forbidden-header', 'never forwarded'],
    ['returning Set-Cookie', { responseHeaders: ['set-cookie'] }, 'forbidden-header', 'response header "set-cookie" reveals the estate'],
    ['returning Server', { responseHeaders: ['server'] }, 'forbidden-header', 'reveals the estate'],
    ['an XML root that is no name', { xmlRoot: '1product' }, 'invalid-option', 'xmlRoot must be an XML element name'],
    ['a POST that names no bodyFields', { method: 'POST' }, 'invalid-option', 'route POST /api/inventory/products/:sku: a POST row must name its bodyFields'],
    ['a PUT with empty bodyFields', { method: 'PUT', bodyFields: [] }, 'invalid-option', 'a PUT row must name its bodyFields'],
    ['bodyFields on a GET', { bodyFields: ['sku:string'] }, 'invalid-option', 'bodyFields on a GET row means nothing'],
    ['a body field twice', { method: 'PATCH', bodyFields: ['a:string', 'a:string'] }, 'invalid-option', 'a body field is listed twice'],
    ['an empty body field name', { method: 'POST', bodyFields: [''] }, 'invalid-option', 'bodyFields must list non-empty field names'],
    ['a body field both bare and nested', { method: 'POST', bodyFields: ['items:string', 'items[].sku:string'] }, 'invalid-option', 'body field "items[].sku:string" is named both alone and with fields under it'],
    ['a body field without a type', { method: 'POST', bodyFields: ['customerId'] }, 'invalid-option', 'body field "customerId" names no type'],
    ['a body field with an unknown type', { method: 'POST', bodyFields: ['customerId:object'] }, 'invalid-option', 'body field "customerId:object" has an unknown type'],
    ['a body field path ending in []', { method: 'POST', bodyFields: ['tags[]'] }, 'invalid-option', 'body field "tags[]" ends in "[]"'],
    ['returning the upstream ETag', { responseHeaders: ['etag'] }, 'forbidden-header', 'response header "etag" validates the upstream\'s bytes'],
    ['returning the upstream Last-Modified', { responseHeaders: ['last-modified'] }, 'forbidden-header', 'response header "last-modified" validates'],
    ['idempotencyKey on a GET', { idempotencyKey: 'optional' }, 'idempotency-on-idempotent-method', 'route GET /api/inventory/products/:sku: idempotencyKey is for POST and PATCH rows: GET is idempotent by HTTP already'],
    ['idempotencyKey on a PUT', { method: 'PUT', bodyFields: ['name:string'], idempotencyKey: 'required' }, 'idempotency-on-idempotent-method', 'PUT is idempotent by HTTP already'],
    ['idempotencyKey on a DELETE', { method: 'DELETE', idempotencyKey: 'optional' }, 'idempotency-on-idempotent-method', 'DELETE is idempotent by HTTP already'],
    ['idempotencyKey on a row with params', { method: 'PATCH', bodyFields: ['stock:integer'], idempotencyKey: 'optional' }, 'invalid-option', 'route PATCH /api/inventory/products/:sku: idempotencyKey on a row with :params'],
    ['an unknown idempotencyKey policy', { method: 'POST', path: '/api/inventory/products', target: '/products', bodyFields: ['sku:string'], idempotencyKey: 'always' as never }, 'invalid-option', 'idempotencyKey must be "required" or "optional"'],
    ['forwarding the raw Idempotency-Key', { method: 'POST', bodyFields: ['sku:string'], headers: ['idempotency-key'] }, 'forbidden-header', 'request header "idempotency-key" is never forwarded raw: declare idempotencyKey instead'],
  ])('refuses %s', (_label, change, problem, message) => {
    const found = problemOf([{ ...good, ...change } as PassThroughRoute]);
    expect(found?.[0]).toBe(problem);
    expect(found?.[1]).toContain(message);
  });

  it.each([
    ['the same row twice', { ...good }],
    ['the same shape with another param name', { ...good, path: '/api/inventory/products/:id', target: '/products/:id' }],
  ])('refuses %s as a duplicate route', (_label, second) => {
    expect(problemOf([good, second])).toEqual(['duplicate-route', 'route GET /api/inventory/products/:id: duplicates GET /api/inventory/products/:sku'.replace(':id', second.path.endsWith(':id') ? ':id' : ':sku')]);
  });

  it('allows the same path with another method', () => {
    expect(problemOf([good, { ...good, method: 'DELETE' }])).toBeUndefined();
  });
});
