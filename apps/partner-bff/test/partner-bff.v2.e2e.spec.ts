import { randomUUID } from 'node:crypto';
import { DEMO_IDS } from '@frontdoor/demo-estate';
import { V1_SUCCESSORS } from '../src/v1/v1-lifecycle.hook';
import { startPartnerTestApp, type PartnerTestApp } from './partner-test-app';

interface Money {
  amount: number;
  currency: string;
}
interface V2Order {
  id: string;
  status: string;
  items: { sku: string; quantity: number; unitPrice: Money }[];
  total: Money;
  createdAt: string;
}
interface Page<T> {
  data: T[];
  page: { limit: number; offset: number; total: number };
}

const numberOf = (id: string) => Number(id.slice(2));
const DEPRECATION = /^@\d{10}$/;
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** v1 and v2 side by side over the same services: the v2 shapes, v2 tenancy, and v1's deprecation on every answer. */
describe('partner-bff v2 beside v1 e2e', () => {
  let t: PartnerTestApp;

  beforeAll(async () => {
    // globex (free) is held to 3 requests per second so the last test can see a 429; gold stays out of the way
    t = await startPartnerTestApp({ PARTNER_PLANS: 'free:3:100000,gold:500:1000000' });
  });
  afterAll(async () => t?.close());

  it('GET /v2/products: money as {amount, currency}, availability instead of the stock count, same products as v1', async () => {
    const [v1, v2] = await Promise.all(['/v1/products?limit=25', '/v2/products?limit=25'].map(async (path) => (await t.as('acme', path)).json()));
    const products = (v2 as Page<Record<string, unknown>>).data;
    expect((v2 as Page<unknown>).page).toEqual({ limit: 25, offset: 0, total: 500 });
    for (const product of products) expect(Object.keys(product).sort()).toEqual(['availability', 'name', 'price', 'sku']);
    const v1Products = (v1 as Page<{ sku: string; price: number; currency: string; stock: number }>).data;
    expect(products.map((p) => p['sku'])).toEqual(v1Products.map((p) => p.sku));
    for (const [i, old] of v1Products.entries()) {
      const availability = old.stock === 0 ? 'out_of_stock' : old.stock < 10 ? 'low_stock' : 'in_stock';
      expect(products[i]).toMatchObject({ price: { amount: old.price, currency: old.currency }, availability });
    }
    const bySku = (sku: string) => products.find((p) => p['sku'] === sku)?.['availability'];
    expect([bySku(DEMO_IDS.sku), bySku(DEMO_IDS.lowStockSku), bySku(DEMO_IDS.outOfStockSku)]).toEqual(['in_stock', 'low_stock', 'out_of_stock']);
    expect(JSON.stringify(v2)).not.toMatch(/"stock"|costPrice|internalNotes|supplier|warehouse/);
  });

  it.each([
    ['acme', (n: number) => n % 4 === 1],
    ['globex', (n: number) => n % 6 === 2],
  ] as const)('GET /v2/orders lists only %s’s own orders, in the v2 shape', async (partner, owns) => {
    const res = await t.as(partner, '/v2/orders?limit=30');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Page<V2Order>;
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.data.every((o) => owns(numberOf(o.id)))).toBe(true);
    for (const order of body.data) {
      expect(Object.keys(order).sort()).toEqual(['createdAt', 'id', 'items', 'status', 'total']);
      expect(order.total).toEqual({ amount: expect.any(Number), currency: 'EUR' });
      for (const line of order.items) expect(line.unitPrice).toEqual({ amount: expect.any(Number), currency: 'EUR' });
    }
    expect(JSON.stringify(body)).not.toMatch(/customerId|partnerId/);
  });

  it('GET /v2/orders/:id is the same order as v1, shaped for v2', async () => {
    const v1 = (await (await t.as('acme', `/v1/orders/${DEMO_IDS.acmeOrder}`)).json()) as { total: number; currency: string; items: { unitPrice: number }[] };
    const res = await t.as('acme', `/v2/orders/${DEMO_IDS.acmeOrder}`);
    expect(res.status).toBe(200);
    const v2 = (await res.json()) as V2Order;
    expect(v2.id).toBe(DEMO_IDS.acmeOrder);
    expect(v2.total).toEqual({ amount: v1.total, currency: v1.currency });
    expect(v2.items.map((l) => l.unitPrice.amount)).toEqual(v1.items.map((l) => l.unitPrice));
  });

  it.each([
    ["another partner's order", 'acme', DEMO_IDS.globexOrder],
    ["another partner's order, the other way", 'globex', DEMO_IDS.acmeOrder],
    ['a direct (non-partner) order', 'acme', DEMO_IDS.directOrder],
    ['an unknown order', 'acme', DEMO_IDS.unknownOrder],
  ] as const)('v2: %s is the same 404 as an unknown one', async (_label, partner, id) => {
    const res = await t.as(partner, `/v2/orders/${id}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      type: 'urn:frontdoor:problem:not-found',
      title: 'Not Found',
      status: 404,
      detail: 'There is no order with this id.',
      instance: `/v2/orders/${id}`,
      requestId: res.headers.get('x-request-id'),
    });
  });

  it.each([
    ['v1', 'recent'],
    ['v2', 'recent'],
    ['v2', 'summary'],
    ['v1', 'O-1'],
    ['v2', 'o-00001'],
    ['v2', `${DEMO_IDS.acmeOrder}x`],
    ['v1', 'recent%3Flimit%3D100'],
  ])('%s: an id that is no order id (%s) is the same 404, and sales is not asked', async (version, id) => {
    t.estate.clearRecorded();
    const res = await t.as('acme', `/${version}/orders/${id}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ type: 'urn:frontdoor:problem:not-found', status: 404, detail: 'There is no order with this id.' });
    expect(t.estate.recorded('sales')).toEqual([]);
  });

  it('GET /v2/usage is the same usage as /v1/usage (it belongs to the key, not to a version)', async () => {
    const v1 = (await (await t.as('acme', '/v1/usage')).json()) as Record<string, number | string>;
    const v2 = (await (await t.as('acme', '/v2/usage')).json()) as Record<string, number | string>;
    expect(v2).toMatchObject({ partner: 'acme', plan: 'gold', day: v1['day'], quota: v1['quota'], perSecond: v1['perSecond'] });
    expect(v2['used']).toBe((v1['used'] as number) + 1);
  });

  it.each([
    ['a list', '/v1/products?limit=1', {}, 200, '/v2/products'],
    ['an order', `/v1/orders/${DEMO_IDS.acmeOrder}`, {}, 200, `/v2/orders/${DEMO_IDS.acmeOrder}`],
    ['usage', '/v1/usage', {}, 200, '/v2/usage'],
    ['the OpenAPI document', '/v1/openapi.json', {}, 200, '/v2/openapi.json'],
    ["another tenant's order (404 problem)", `/v1/orders/${DEMO_IDS.globexOrder}`, {}, 404, `/v2/orders/${DEMO_IDS.globexOrder}`],
    ['invalid paging (400 from the pipe)', '/v1/orders?limit=1000', {}, 400, '/v2/orders'],
    ['an unsupported Accept (406 from the interceptor)', '/v1/products', { accept: 'text/csv' }, 406, '/v2/products'],
    ['no key (401 from the guard)', '/v1/orders', { 'x-api-key': '' }, 401, '/v2/orders'],
    ['an unknown route (404 from the router)', '/v1/nothing', {}, 404, '/v2/openapi.json'],
    ['a list reached through a percent-encoded path', '/%761/products?limit=1', {}, 200, '/v2/products'],
    ['an order reached through a percent-encoded path', `/%76%31/orders/${DEMO_IDS.acmeOrder}`, {}, 200, `/v2/orders/${DEMO_IDS.acmeOrder}`],
    ['an unknown route under a percent-encoded /v1', '/%761/nothing', {}, 404, '/v2/openapi.json'],
    ['a percent-encoded v1 path refused before routing (400)', '/%761/orders%2Fx', {}, 400, '/v2/openapi.json'],
    ['a path the router cannot decode (400 from the router)', '/v1/orders/%zz', {}, 400, '/v2/openapi.json'],
    ['a path parameter too long (414 from the router)', `/v1/orders/${'x'.repeat(101)}`, {}, 414, '/v2/openapi.json'],
    ['an undecodable path, another method (400)', '/v1/%zz', { 'x-method': 'DELETE' }, 400, '/v2/openapi.json'],
    ['a method the route does not serve (405)', '/v1/products', { 'x-method': 'DELETE' }, 405, '/v2/products'],
    ['a 405 on a route with a parameter', `/v1/orders/${DEMO_IDS.acmeOrder}`, { 'x-method': 'PUT' }, 405, `/v2/orders/${DEMO_IDS.acmeOrder}`],
    ['OPTIONS (204)', '/v1/orders', { 'x-method': 'OPTIONS' }, 204, '/v2/orders'],
    ['a CORS preflight (403)', '/v1/products', { 'x-method': 'OPTIONS', 'access-control-request-method': 'GET', origin: 'https://x.example' }, 403, '/v2/products'],
  ])('every /v1 answer carries Deprecation, Sunset and its successor: %s', async (_label, path, given, status, successor) => {
    const { 'x-method': method, ...headers } = given as Record<string, string>;
    const res = await t.as('acme', path, { method, headers });
    expect(res.status).toBe(status);
    expect(res.headers.get('deprecation')).toMatch(DEPRECATION);
    expect(res.headers.get('sunset')).toMatch(HTTP_DATE);
    expect(Date.parse(res.headers.get('sunset') as string) / 1000).toBeGreaterThan(Number(res.headers.get('deprecation')?.slice(1)));
    expect(res.headers.get('link')).toBe(`<${successor}>; rel="successor-version", </docs>; rel="deprecation"`);
    await res.arrayBuffer();
  });

  it('an order placed through a percent-encoded /v1 path is announced as deprecated too', async () => {
    const res = await t.as('acme', '/%761/orders', {
      method: 'POST',
      body: JSON.stringify({ customerId: DEMO_IDS.customer, items: [{ sku: DEMO_IDS.sku, quantity: 1 }] }),
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    });
    expect(res.status).toBe(201);
    expect([res.headers.get('deprecation'), res.headers.get('sunset'), res.headers.get('link')]).toEqual([
      expect.stringMatching(DEPRECATION),
      expect.stringMatching(HTTP_DATE),
      '</v2/orders>; rel="successor-version", </docs>; rel="deprecation"',
    ]);
    await res.arrayBuffer();
  });

  it('every v1 route has a v2 successor that exists, and v2 answers carry no deprecation', async () => {
    const v1Paths = Object.keys(((await (await fetch(`${t.base}/v1/openapi.json`)).json()) as { paths: object }).paths);
    const v2Paths = Object.keys(((await (await fetch(`${t.base}/v2/openapi.json`)).json()) as { paths: object }).paths);
    const pattern = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ':$1');
    for (const path of v1Paths) expect(v2Paths.map(pattern)).toContain(V1_SUCCESSORS[pattern(path)]);
    const v2 = await t.as('acme', '/v2/products?limit=1');
    expect(['deprecation', 'sunset', 'link'].map((h) => v2.headers.get(h))).toEqual([null, null, null]);
  });

  it('a v1 request refused by the rate limit (429) is announced as deprecated too', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const answers = await Promise.all(Array.from({ length: 15 }, () => t.as('globex', '/v1/products?limit=1')));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const res of refused) expect([res.headers.get('deprecation'), res.headers.get('link')?.startsWith('</v2/products>')]).toEqual([expect.stringMatching(DEPRECATION), true]);
  });
});
