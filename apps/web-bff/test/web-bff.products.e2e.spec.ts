import { DEMO_IDS } from '@frontdoor/demo-estate';
import { WEB_PRODUCT_FIELDS } from '../src/products/web-product.shape';
import { startWebTestApp, type WebTestApp } from './web-test-app';

type Page = { items: Record<string, unknown>[]; total: number; limit: number; offset: number };

/** The web catalogue end to end, against the demo estate with gateway verification on. */
describe('web-bff catalogue e2e', () => {
  let t: WebTestApp;
  let token: string;

  beforeAll(async () => {
    t = await startWebTestApp({ env: { ROUTE_DEADLINE_MS: '800' } });
    token = await t.estate.issueToken({ sub: 'wendy', roles: ['warehouse'] });
  });

  afterAll(async () => t?.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(t.base + path, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const json = async <T = Page>(path: string): Promise<T> => {
    const res = await get(path);
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  it('GET /api/products answers a page of products in full detail, with the total', async () => {
    const page = await json('/api/products');
    expect(page).toMatchObject({ total: 500, limit: 20, offset: 0 });
    expect(page.items).toHaveLength(20);
    for (const item of page.items) expect(Object.keys(item)).toEqual([...WEB_PRODUCT_FIELDS]);
    expect(page.items[0]?.['sku']).toBe(DEMO_IDS.sku);
  });

  it('pages with limit and offset', async () => {
    const [first, second] = await Promise.all([
      json('/api/products?limit=5'),
      json('/api/products?limit=5&offset=5'),
    ]);
    expect(second).toMatchObject({ total: 500, limit: 5, offset: 5 });
    expect(new Set([...first.items, ...second.items].map((i) => i['sku'])).size).toBe(10);
  });

  it.each([
    [
      'q matches name or sku',
      'q=kettle',
      (i: Record<string, unknown>) => /kettle/i.test(String(i['name'])) || /kettle/i.test(String(i['sku'])),
    ],
    ['tag', 'tag=bestseller', (i: Record<string, unknown>) => (i['tags'] as string[]).includes('bestseller')],
    [
      'both',
      'q=lamp&tag=eco',
      (i: Record<string, unknown>) =>
        /lamp/i.test(String(i['name'])) && (i['tags'] as string[]).includes('eco'),
    ],
  ])('searches by %s (%s); the total counts the matches', async (_label, query, matches) => {
    const page = await json(`/api/products?${query}&limit=100`);
    expect(page.total).toBeGreaterThan(0);
    expect(page.total).toBeLessThan(500);
    expect(page.items.every(matches)).toBe(true);
  });

  it('GET /api/products/:sku answers one product in full detail', async () => {
    const product = await json<Record<string, unknown>>(`/api/products/${DEMO_IDS.sku}`);
    expect(Object.keys(product)).toEqual([...WEB_PRODUCT_FIELDS]);
    expect(product).toMatchObject({
      sku: DEMO_IDS.sku,
      supplier: { id: expect.any(String), name: expect.any(String) },
    });
  });

  it.each([['/api/products?limit=100'], [`/api/products/${DEMO_IDS.sku}`]])(
    '%s never passes cost price, internal notes or supplier contacts',
    async (path) => {
      const text = await (await get(path)).text();
      expect(text).not.toMatch(
        /costPrice|internalNotes|contactEmail|Margin under review|Do not discount|@[a-z]+\.example/,
      );
    },
  );

  it.each([
    [
      'a list',
      '/api/products?limit=3&fields=price,sku,name',
      (b: Page) => b.items.map((i) => Object.keys(i)),
      [
        ['sku', 'name', 'price'],
        ['sku', 'name', 'price'],
        ['sku', 'name', 'price'],
      ],
    ],
    [
      'one product',
      `/api/products/${DEMO_IDS.sku}?fields=sku,stock,warehouse`,
      (b: Record<string, unknown>) => Object.keys(b),
      ['sku', 'stock', 'warehouse'],
    ],
  ])('?fields= trims %s to the named fields', async (_label, path, keysOf, expected) => {
    expect(keysOf((await json(path)) as never)).toEqual(expected);
  });

  it.each([
    ['/api/products?fields=sku,costPrice'],
    [`/api/products/${DEMO_IDS.sku}?fields=internalNotes`],
    ['/api/products?fields='],
    ['/api/products?fields=sku&fields=name'],
  ])('%s is a 400 problem naming the allowed fields, before any upstream call', async (path) => {
    t.estate.clearRecorded();
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as { errors?: string[] };
    if (!path.includes('fields=sku&fields=name'))
      expect(body.errors?.join(' ')).toContain(`fields may name only: ${WEB_PRODUCT_FIELDS.join(', ')}`);
    expect(t.estate.recorded('inventory')).toEqual([]);
  });

  it.each([
    ['limit=0'],
    ['limit=101'],
    ['limit=x'],
    ['offset=-1'],
    ['offset=1000001'],
    [`q=${'a'.repeat(101)}`],
    ['tag=Not%20A%20Tag'],
    ['unknown=1'],
  ])('?%s is a 400 validation problem', async (query) => {
    const res = await get(`/api/products?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('an unknown sku is a 404 problem naming no host', async () => {
    const res = await get(`/api/products/${DEMO_IDS.unknownSku}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/127\.0\.0\.1|localhost|:\d{4,5}/);
  });

  it('a malformed sku is a 400 before any upstream call', async () => {
    t.estate.clearRecorded();
    expect((await get('/api/products/a%20b')).status).toBe(400);
    expect(t.estate.recorded('inventory')).toEqual([]);
  });

  it.each(['admin', 'finance', 'hr', 'sales', 'warehouse'])(
    'any user role may browse the catalogue: %s',
    async (role) => {
      const res = await fetch(`${t.base}/api/products?limit=1`, {
        headers: { authorization: `Bearer ${await t.estate.issueToken({ sub: 'u', roles: [role] })}` },
      });
      expect(res.status).toBe(200);
    },
  );

  it.each([
    ['anonymous', 401, undefined],
    ['a token without any user role', 403, []],
  ])('%s is %d', async (_label, status, roles) => {
    const headers: Record<string, string> =
      roles === undefined
        ? {}
        : { authorization: `Bearer ${await t.estate.issueToken({ sub: 'nobody', roles })}` };
    expect((await fetch(`${t.base}/api/products/${DEMO_IDS.sku}`, { headers })).status).toBe(status);
  });

  it('answers XML when asked', async () => {
    const res = await get(`/api/products/${DEMO_IDS.sku}?fields=sku,name`, { accept: 'application/xml' });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^<\?xml[^>]*>\s*<product><sku>SKU-00001<\/sku><name>/);
  });
});
