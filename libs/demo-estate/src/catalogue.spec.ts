import { startDemoEstate } from './demo-estate';
import type { DemoEstate } from './demo-estate.types';
import { DEMO_IDS } from './demo-ids';
import type { Customer } from './customers.seed';
import type { Employee } from './employees.seed';
import type { Product } from './products.seed';

type Page<T> = { items: T[]; total: number; limit: number; offset: number };

async function getJson<T = Page<Product>>(
  url: string,
): Promise<{ status: number; type: string | null; body: T }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as T };
}

async function allProducts(base: string): Promise<Product[]> {
  const pages = await Promise.all(
    [0, 100, 200, 300, 400].map((offset) => getJson(`${base}/products?limit=100&offset=${offset}`)),
  );
  return pages.flatMap((page) => page.body.items);
}

describe('inventory, hr and customers over HTTP', () => {
  let estate: DemoEstate;
  let twin: DemoEstate;

  beforeAll(async () => {
    [estate, twin] = await Promise.all([startDemoEstate(), startDemoEstate()]);
  });
  afterAll(() => Promise.all([estate?.stop(), twin?.stop()]));

  it('serves identical product lists from two estates', async () => {
    const [a, b] = await Promise.all([allProducts(estate.urls.inventory), allProducts(twin.urls.inventory)]);
    expect(a).toHaveLength(500);
    expect(a).toEqual(b);
  });

  it('pages products with defaults and filters by q and tag', async () => {
    const first = await getJson(`${estate.urls.inventory}/products`);
    expect(first.type).toBe('application/json; charset=utf-8');
    expect(first.body).toMatchObject({ total: 500, limit: 20, offset: 0 });
    expect(first.body.items).toHaveLength(20);
    expect(Object.keys(first.body.items[0] as Product)).toEqual(
      expect.arrayContaining(['sku', 'images', 'costPrice', 'internalNotes', 'supplier']),
    );
    const byTag = await getJson(`${estate.urls.inventory}/products?tag=eco&limit=100`);
    expect(byTag.body.total).toBeGreaterThan(0);
    expect(byTag.body.items.every((p: Product) => p.tags.includes('eco'))).toBe(true);
    const byQ = await getJson(`${estate.urls.inventory}/products?q=STEEL`);
    expect(byQ.body.items.every((p: Product) => p.name.includes('Steel'))).toBe(true);
  });

  it.each([['limit=0'], ['limit=101'], ['limit=abc'], ['offset=-1'], ['limit=1.5']])(
    'refuses %s with a 400 problem',
    async (query) => {
      const res = await getJson<Record<string, unknown>>(`${estate.urls.inventory}/products?${query}`);
      expect(res.status).toBe(400);
      expect(res.type).toBe('application/problem+json; charset=utf-8');
      expect(res.body).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400 });
    },
  );

  it.each([
    ['inventory', `/products/${DEMO_IDS.sku}`, 200],
    ['inventory', `/products/${DEMO_IDS.unknownSku}`, 404],
    ['inventory', '/no/such/route', 404],
    ['hr', `/employees/${DEMO_IDS.employee}`, 200],
    ['hr', `/employees/${DEMO_IDS.unknownEmployee}`, 404],
    ['customers', `/customers/${DEMO_IDS.customer}`, 200],
    ['customers', `/customers/${DEMO_IDS.unknownCustomer}`, 404],
    ['customers', '/customers/by-subject?sub=alice', 200],
    ['customers', '/health', 200],
  ] as const)('%s GET %s → %i', async (service, path, status) => {
    expect((await getJson(`${estate.urls[service]}${path}`)).status).toBe(status);
  });

  it('answers 405 for a known path with another method', async () => {
    const res = await fetch(`${estate.urls.inventory}/products`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(405);
  });

  it('lists low stock, lowest first', async () => {
    const { body } = await getJson<{ items: { stock: number }[] }>(`${estate.urls.inventory}/stock/alerts`);
    expect(body.items.length).toBeGreaterThan(20);
    expect(body.items[0]).toEqual({
      sku: DEMO_IDS.outOfStockSku,
      name: expect.any(String),
      stock: 0,
      warehouse: expect.any(Object),
    });
    expect(body.items.every((i) => i.stock < 10)).toBe(true);
    const none = await getJson<{ items: unknown[] }>(`${estate.urls.inventory}/stock/alerts?threshold=0`);
    expect(none.body.items).toEqual([]);
  });

  it('serves employees and customers with their sensitive extras', async () => {
    const employees = await getJson<Page<Employee>>(`${estate.urls.hr}/employees?limit=100&offset=100`);
    expect(employees.body).toMatchObject({ total: 200, limit: 100, offset: 100 });
    expect(employees.body.items[99]?.id).toBe('E0200');
    const ceo = await getJson<Employee>(`${estate.urls.hr}/employees/${DEMO_IDS.employee}`);
    expect(ceo.body).toMatchObject({
      id: 'E0001',
      managerId: null,
      nationalId: expect.any(String),
      homeNotes: expect.any(String),
    });
    expect(ceo.body.address).toEqual({
      street: expect.any(String),
      city: expect.any(String),
      postcode: expect.any(String),
      country: expect.any(String),
    });
    const customers = await getJson<Page<Customer>>(`${estate.urls.customers}/customers`);
    expect(customers.body.total).toBe(150);
    expect(customers.body.items[0]).toMatchObject({
      id: 'C0001',
      segment: expect.stringMatching(/^(retail|business|vip)$/),
      creditScore: expect.any(Number),
    });
  });
});
