import { loadConfig } from '@frontdoor/config';
import { estateEnv, startDemoEstate, type DemoEstate } from '@frontdoor/demo-estate';
import type { BffApp } from '@frontdoor/platform';
import { createMobileBff } from '../src/app/create-mobile-bff';
import { mobileSchema } from '../src/app/mobile.config';

describe('mobile-bff e2e', () => {
  let estate: DemoEstate;
  let app: BffApp;
  let base: string;

  beforeAll(async () => {
    estate = await startDemoEstate();
    app = await createMobileBff(loadConfig(mobileSchema, { ...estateEnv(estate), ROUTE_DEADLINE_MS: '800' }));
    await app.nest.listen(0, '127.0.0.1');
    base = await app.nest.getUrl();
  });

  afterAll(async () => {
    await app?.nest.close();
    await estate?.stop();
  });

  afterEach(async () => {
    estate.setFault('inventory', {});
    await estate.startService('inventory');
  });

  it('GET /api/products answers products trimmed to five fields, with a cursor to the next page', async () => {
    const res = await fetch(`${base}/api/products?limit=5`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Record<string, unknown>[]; nextCursor: string };
    expect(body.items).toHaveLength(5);
    for (const item of body.items) {
      expect(Object.keys(item).sort()).toEqual(['currency', 'name', 'price', 'sku', 'thumbnail']);
      expect(item['thumbnail']).toMatch(/^https:\/\//);
    }
    const next = (await (await fetch(`${base}/api/products?limit=5&cursor=${body.nextCursor}`)).json()) as typeof body;
    expect(next.items[0]?.['sku']).not.toBe(body.items[0]?.['sku']);
    expect(new Set([...body.items, ...next.items].map((i) => i['sku'])).size).toBe(10);
  });

  it.each([
    ['limit=0', 400],
    ['limit=abc', 400],
    ['limit=51', 400],
    ['cursor=!!', 400],
    ['unknown=1', 400],
  ])('?%s is a %d validation problem', async (query, status) => {
    const res = await fetch(`${base}/api/products?${query}`);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('an unknown route is a problem+json 404 with the request id', async () => {
    const res = await fetch(`${base}/api/nope`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body['requestId']).toBe(res.headers.get('x-request-id'));
  });

  it.each([
    ['stopped', 503, async () => estate.stopService('inventory')],
    ['slow', 504, async () => estate.setFault('inventory', { latencyMs: 3000 })],
    ['garbage', 502, async () => estate.setFault('inventory', { mode: 'garbage' })],
  ])('a %s inventory answers %d without naming a host', async (_label, status, breakIt) => {
    await breakIt();
    const res = await fetch(`${base}/api/products`);
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text).toMatch(/"detail":"inventory /);
    expect(text).not.toMatch(/127\.0\.0\.1|localhost|http:/);
  });
});
