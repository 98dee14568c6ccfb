import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  UPSTREAM_BODY_MARKER,
  faults,
  rawRequest,
  startStub,
  type RawResponse,
  type Stub,
  type StubHandler,
} from '@frontdoor/testing';
import { inventoryRoutes } from '../src/pass-through/web.routes';
import { startWebIdpTestApp, type WebIdpTestApp } from './web-test-app';

/**
 * Stale-if-error of web-bff's cached pass-through rows, end to end: the built app on 127.0.0.1, real signed user
 * tokens (test IdP), and a stub inventory on its own port. The row under test is `GET /api/inventory/products/:sku`
 * (route TTL 30 s, shared, redacted): each test uses its own sku, so each has its own cache entry.
 *
 * The app has no clock to inject and the row's TTL is not configurable, so a copy goes stale the way the handler
 * allows it: the upstream answers `Cache-Control: max-age=1`, which lowers the TTL to 1 s (`cacheAllowance`), and the
 * specs wait a bounded 1.1 s — once for a whole group of entries primed together.
 */
const ROW = inventoryRoutes.find((r) => r.path === '/api/inventory/products/:sku');
const STALE_AFTER_MS = 1100;

/** The upstream's product: the row must never pass the internal fields (costPrice, internalNotes, contactEmail). */
const upstreamProduct = (sku: string, version = 1) => ({
  sku,
  name: `Widget ${sku} v${version}`,
  price: 12.5,
  currency: 'EUR',
  stock: 7,
  costPrice: 4.2,
  internalNotes: 'margin is thin',
  contactEmail: 'buyer@supplier.internal',
});
const clientProduct = (sku: string, version = 1) => ({
  sku,
  name: `Widget ${sku} v${version}`,
  price: 12.5,
  currency: 'EUR',
  stock: 7,
});
const STALE_MARK = { reason: 'stale', missing: [] };

/** The connection is cut before any answer (a crashed or unreachable process behind a live socket). */
const resetConnection: StubHandler = (_req: IncomingMessage, res: ServerResponse) =>
  void res.socket?.destroy();

/** The app (test IdP, signed tokens) in front of a stub inventory. */
interface Harness extends WebIdpTestApp {
  inventory: Stub;
  /** What the stub inventory answers per upstream path (`/products/<sku>`); anything else is a 500. */
  upstream: Record<string, StubHandler>;
}

async function startHarness(): Promise<Harness> {
  const upstream: Record<string, StubHandler> = {};
  const inventory = await startStub((req, res, body) =>
    (upstream[req.url ?? ''] ?? faults.status(500))(req, res, body),
  );
  const env = {
    UPSTREAM_INVENTORY_URL: inventory.url,
    // the circuit must not open across tests: an open circuit would turn the 404 case into a stale answer
    BREAKER_FAILURES: '1000',
    LOG_LEVEL: 'silent',
  };
  return { ...(await startWebIdpTestApp({ env })), inventory, upstream };
}

async function stopHarness(h: Harness | undefined): Promise<void> {
  await h?.close();
  await h?.inventory.close();
}

const json = (res: RawResponse) => JSON.parse(res.body) as Record<string, unknown>;

describe('web-bff stale-if-error on a cached pass-through row (GET /api/inventory/products/:sku)', () => {
  let h: Harness;
  let warehouse: string;
  let sales: string;
  const get = (sku: string, authorization = warehouse) =>
    rawRequest(h.base, `/api/inventory/products/${sku}`, { headers: { authorization } });
  const callsFor = (sku: string) => h.inventory.requests.filter((r) => r.path === `/products/${sku}`).length;
  /** The upstream answers the product, allowing 1 s of freshness (the row's own TTL is 30 s). */
  const answersShortLived = (sku: string) =>
    (h.upstream[`/products/${sku}`] = faults.json(200, upstreamProduct(sku), {
      'cache-control': 'max-age=1',
    }));

  beforeAll(async () => {
    h = await startHarness();
    warehouse = await h.bearer('wendy', ['warehouse']);
    sales = await h.bearer('sam', ['sales']);
  });
  afterAll(() => stopHarness(h));

  it('the row under test is a cached GET row, shared across users, without a fallback', () => {
    expect(ROW).toMatchObject({
      method: 'GET',
      upstream: 'inventory',
      target: '/products/:sku',
      cacheTtlS: 30,
      cacheShared: true,
    });
    expect(ROW && 'fallback' in ROW).toBe(false);
  });

  it('first request: the upstream answer, redacted, with the row TTL as max-age and not degraded', async () => {
    h.upstream['/products/SKU-FIRST'] = faults.json(200, upstreamProduct('SKU-FIRST'));
    const res = await get('SKU-FIRST');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual(clientProduct('SKU-FIRST'));
    expect(res.headers['cache-control']).toBe(`private, max-age=${ROW?.cacheTtlS}`);
    expect(res.headers['x-degraded']).toBeUndefined();
    expect(callsFor('SKU-FIRST')).toBe(1);
  });

  it('while fresh the upstream is not called again, not even for another user (the row is shared)', async () => {
    h.upstream['/products/SKU-FRESH'] = faults.json(200, upstreamProduct('SKU-FRESH'));
    expect((await get('SKU-FRESH')).status).toBe(200);
    // were the upstream asked again, it would now fail and the answer would be stale or an error
    h.upstream['/products/SKU-FRESH'] = faults.status(503);
    for (const authorization of [warehouse, warehouse, sales]) {
      const res = await get('SKU-FRESH', authorization);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual(clientProduct('SKU-FRESH'));
      expect(res.headers['x-degraded']).toBeUndefined();
      const maxAge = Number(/^private, max-age=(\d+)$/.exec(String(res.headers['cache-control']))?.[1]);
      expect(maxAge).toBeGreaterThanOrEqual(1);
      expect(maxAge).toBeLessThanOrEqual(ROW?.cacheTtlS ?? 0);
    }
    expect(callsFor('SKU-FRESH')).toBe(1);
  });

  describe('once the copy has gone stale (upstream max-age=1, one bounded wait for the whole group)', () => {
    const failures: [string, StubHandler][] = [
      ['answers 503', faults.status(503)],
      ['answers 500', faults.status(500)],
      ['resets the connection', resetConnection],
      ['is slower than the row timeout (800 ms)', faults.hang()],
      ['answers garbage JSON', faults.garbageJson()],
    ];
    const skuOf = (label: string) => `SKU-STALE-${failures.findIndex(([l]) => l === label)}`;
    const primed = [...failures.map(([label]) => skuOf(label)), 'SKU-404', 'SKU-SHARED', 'SKU-BACK'];

    beforeAll(async () => {
      primed.forEach(answersShortLived);
      const answers = await Promise.all(primed.map((sku) => get(sku)));
      expect(answers.map((a) => [a.status, a.headers['x-degraded']])).toEqual(
        primed.map(() => [200, undefined]),
      );
      await sleep(STALE_AFTER_MS);
    });

    it.each(failures)(
      'the upstream %s → 200 with the stale copy, X-Degraded: stale, Cache-Control: no-store',
      async (label, failure) => {
        const sku = skuOf(label);
        h.upstream[`/products/${sku}`] = failure;
        const before = callsFor(sku);
        const res = await get(sku);
        expect(res.status).toBe(200);
        expect(res.headers['x-degraded']).toBe('stale');
        expect(res.headers['cache-control']).toBe('no-store');
        expect(JSON.parse(res.body)).toEqual({ ...clientProduct(sku), degraded: STALE_MARK });
        expect(res.body).not.toMatch(/costPrice|internalNotes|contactEmail/);
        expect(callsFor(sku)).toBeGreaterThan(before); // a stale copy is not fresh: the upstream was asked first
      },
    );

    it('a 404 from the upstream is an answer: passed on as the 404 problem, never replaced by the stale copy', async () => {
      h.upstream['/products/SKU-404'] = faults.status(404);
      const before = callsFor('SKU-404');
      const res = await get('SKU-404');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['x-degraded']).toBeUndefined();
      expect(json(res)).toEqual({
        type: 'urn:frontdoor:problem:not-found',
        title: 'Not Found',
        status: 404,
        detail: 'inventory has no such resource',
        instance: '/api/inventory/products/SKU-404',
        requestId: res.headers['x-request-id'],
      });
      expect(res.body).not.toMatch(
        new RegExp(`Widget|127\\.0\\.0\\.1|localhost|http:|${UPSTREAM_BODY_MARKER}|:${h.inventory.port}\\b`),
      );
      expect(callsFor('SKU-404')).toBe(before + 1);
    });

    it('the row is shared: another user, with the upstream failing, gets the first user’s stale copy', async () => {
      h.upstream['/products/SKU-SHARED'] = faults.status(503);
      const res = await get('SKU-SHARED', sales);
      expect(res.status).toBe(200);
      expect(res.headers['x-degraded']).toBe('stale');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(JSON.parse(res.body)).toEqual({ ...clientProduct('SKU-SHARED'), degraded: STALE_MARK });
    });

    it('no copy and no fallback: the upstream error as problem+json, leaking nothing of the upstream', async () => {
      h.upstream['/products/SKU-NEVER'] = faults.status(503);
      const res = await get('SKU-NEVER', sales);
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.headers['x-degraded']).toBeUndefined();
      const problem = json(res);
      expect(Object.keys(problem).sort()).toEqual([
        'detail',
        'instance',
        'requestId',
        'status',
        'title',
        'type',
      ]);
      expect(problem).toMatchObject({ type: 'urn:frontdoor:problem:upstream-unavailable', status: 503 });
      expect(problem['detail']).toMatch(/^inventory /);
      expect(problem['requestId']).toBe(res.headers['x-request-id']);
      expect(res.body).not.toMatch(
        new RegExp(
          `127\\.0\\.0\\.1|localhost|http:|ECONN|stack|${UPSTREAM_BODY_MARKER}|:${h.inventory.port}\\b`,
        ),
      );
      expect(callsFor('SKU-NEVER')).toBeGreaterThanOrEqual(1);
    });

    it('the upstream back: a fresh answer again, not degraded, cached anew', async () => {
      h.upstream['/products/SKU-BACK'] = faults.status(503);
      expect((await get('SKU-BACK')).headers['x-degraded']).toBe('stale');
      h.upstream['/products/SKU-BACK'] = faults.json(200, upstreamProduct('SKU-BACK', 2));
      const res = await get('SKU-BACK');
      expect(res.status).toBe(200);
      expect(res.headers['x-degraded']).toBeUndefined();
      expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
      expect(JSON.parse(res.body)).toEqual(clientProduct('SKU-BACK', 2));
      const calls = callsFor('SKU-BACK');
      expect(JSON.parse((await get('SKU-BACK', sales)).body)).toEqual(clientProduct('SKU-BACK', 2));
      expect(callsFor('SKU-BACK')).toBe(calls);
    });
  });
});

describe('web-bff stale-if-error when the upstream process is gone (connection refused)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => stopHarness(h));

  it('a stale copy answers 200 X-Degraded: stale; a request without a copy gets a 503 problem naming no host', async () => {
    const authorization = await h.bearer('wendy', ['warehouse']);
    const get = (sku: string) =>
      rawRequest(h.base, `/api/inventory/products/${sku}`, { headers: { authorization } });
    h.upstream['/products/SKU-GONE'] = faults.json(200, upstreamProduct('SKU-GONE'), {
      'cache-control': 'max-age=1',
    });
    expect((await get('SKU-GONE')).status).toBe(200);
    await sleep(STALE_AFTER_MS);
    await h.inventory.close(); // nothing listens on its port any more

    const stale = await get('SKU-GONE');
    expect(stale.status).toBe(200);
    expect(stale.headers['x-degraded']).toBe('stale');
    expect(stale.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(stale.body)).toEqual({ ...clientProduct('SKU-GONE'), degraded: STALE_MARK });

    const none = await get('SKU-OTHER');
    expect(none.status).toBe(503);
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(json(none)).toMatchObject({ type: 'urn:frontdoor:problem:upstream-unavailable', status: 503 });
    expect(json(none)['requestId']).toBe(none.headers['x-request-id']);
    expect(none.body).not.toMatch(new RegExp(`127\\.0\\.0\\.1|localhost|http:|ECONN|${h.inventory.port}`));
    expect(h.inventory.requests.map((r) => r.path)).toEqual(['/products/SKU-GONE']);
  });
});
