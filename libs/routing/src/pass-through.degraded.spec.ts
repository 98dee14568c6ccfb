import { faults, rawRequest } from '@frontdoor/testing';
import type { PassThroughRoute } from './pass-through.route';
import { startOneUpstreamApp, type OneUpstreamApp } from './testing/pass-through-app';

const ROUTES: readonly PassThroughRoute[] = [
  {
    method: 'GET',
    path: '/api/inventory/products/:sku',
    upstream: 'inventory',
    target: '/products/:sku',
    roles: ['warehouse'],
    cacheTtlS: 1,
  },
  // the upstream answers a bare JSON number: an answer that cannot carry the degraded mark itself
  {
    method: 'GET',
    path: '/api/inventory/count',
    upstream: 'inventory',
    target: '/count',
    roles: ['warehouse'],
    cacheTtlS: 1,
  },
  {
    method: 'GET',
    path: '/api/inventory/warehouses/:id',
    upstream: 'inventory',
    target: '/warehouses/:id',
    roles: ['warehouse'],
    fallback: { id: null },
  },
];

/**
 * Degraded pass-through answers counted in `degraded_responses_total` (per route pattern and reason) when the
 * upstream process is gone: a stub inventory on 127.0.0.1, stopped after the cached rows were primed.
 */
describe('pass-through answers degraded by a stopped upstream, in /metrics', () => {
  let one: OneUpstreamApp;
  const get = (path: string) => rawRequest(one.base, path, { headers: { 'x-test-roles': 'warehouse' } });

  beforeAll(async () => {
    one = await startOneUpstreamApp({
      name: 'DegradedPassThroughController',
      routes: ROUTES,
      roles: ['warehouse'],
      upstream: { name: 'inventory' },
      handler: (req, res, body) =>
        (req.url === '/count' ? faults.json(200, 42) : faults.json(200, { sku: 'SKU-1', stock: 3 }))(
          req,
          res,
          body,
        ),
    });
  });

  afterAll(() => one?.close());

  it('a stale copy (object or bare scalar) and a row fallback are each counted once, under the route pattern', async () => {
    expect((await get('/api/inventory/products/SKU-1')).status).toBe(200);
    expect((await get('/api/inventory/count')).body).toBe('42');
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the 1 s TTL: the copies are stale
    await one.stub.close(); // nothing listens on its port any more

    const answers = await Promise.all(
      ['/api/inventory/products/SKU-1', '/api/inventory/count', '/api/inventory/warehouses/W1'].map(get),
    );
    expect(answers.map((a) => [a.status, a.headers['x-degraded'], a.body])).toEqual([
      [200, 'stale', JSON.stringify({ sku: 'SKU-1', stock: 3, degraded: { reason: 'stale', missing: [] } })],
      [200, 'stale', '42'],
      [200, 'partial', JSON.stringify({ id: null, degraded: { reason: 'partial', missing: ['inventory'] } })],
    ]);

    // the first scrape of this app: a fresh rendering
    const text = (await get('/metrics')).body;
    expect(
      text
        .split('\n')
        .filter((l) => l.startsWith('degraded_responses_total{'))
        .sort(),
    ).toEqual([
      'degraded_responses_total{route="/api/inventory/count",reason="stale",app="t"} 1',
      'degraded_responses_total{route="/api/inventory/products/:sku",reason="stale",app="t"} 1',
      'degraded_responses_total{route="/api/inventory/warehouses/:id",reason="partial",app="t"} 1',
    ]);
  });
});
