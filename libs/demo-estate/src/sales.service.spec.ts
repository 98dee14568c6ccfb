import { startDemoEstate } from './demo-estate';
import type { DemoEstate } from './demo-estate.types';
import { DEMO_IDS } from './demo-ids';
import type { Order } from './orders.seed';
import type { SalesSummary } from './sales-summary';

function postOrder(estate: DemoEstate, body: string, idempotencyKey?: string): Promise<Response> {
  return fetch(`${estate.urls.sales}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    body,
  });
}

async function getJson<T>(url: string): Promise<T> {
  return (await (await fetch(url)).json()) as T;
}

type Page = { items: Order[]; total: number; limit: number; offset: number };

describe('sales', () => {
  let estate: DemoEstate;
  beforeAll(async () => {
    estate = await startDemoEstate();
  });
  afterAll(() => estate?.stop());

  it('lists orders newest first and filters by partner, customer and status', async () => {
    const page = await getJson<Page>(`${estate.urls.sales}/orders`);
    expect(page).toMatchObject({ total: 300, limit: 20, offset: 0 });
    expect(page.items[0]?.id).toBe(DEMO_IDS.newestOrder);
    const acme = await getJson<Page>(`${estate.urls.sales}/orders?partnerId=acme&limit=100`);
    expect(acme.total).toBe(75);
    expect(acme.items.every((o) => o.partnerId === 'acme')).toBe(true);
    const globex = await getJson<Page>(`${estate.urls.sales}/orders?partnerId=globex&status=shipped`);
    expect(globex.items.every((o) => o.partnerId === 'globex' && o.status === 'shipped')).toBe(true);
    const customer = page.items[0]?.customerId as string;
    const mine = await getJson<Page>(`${estate.urls.sales}/orders?customerId=${customer}`);
    expect(mine.items.every((o) => o.customerId === customer)).toBe(true);
    expect((await fetch(`${estate.urls.sales}/orders?status=lost`)).status).toBe(400);
    expect((await fetch(`${estate.urls.sales}/orders?status=paid,lost`)).status).toBe(400);
  });

  it('filters by a list of statuses (either matches)', async () => {
    const count = async (status: string) => (await getJson<Page>(`${estate.urls.sales}/orders?status=${status}&limit=1`)).total;
    const [pending, paid, open] = await Promise.all([count('pending'), count('paid'), count('pending,paid')]);
    expect(pending).toBeGreaterThan(0);
    expect(paid).toBeGreaterThan(0);
    expect(open).toBe(pending + paid);
    const page = await getJson<Page>(`${estate.urls.sales}/orders?status=pending,paid&limit=100`);
    expect(page.items.every((o) => o.status === 'pending' || o.status === 'paid')).toBe(true);
  });

  it('serves one order, recent orders and a deterministic summary', async () => {
    expect(await getJson<Order>(`${estate.urls.sales}/orders/${DEMO_IDS.acmeOrder}`)).toMatchObject({
      id: 'O-00001',
      partnerId: 'acme',
    });
    expect((await fetch(`${estate.urls.sales}/orders/${DEMO_IDS.unknownOrder}`)).status).toBe(404);
    const recent = await getJson<{ items: Order[] }>(`${estate.urls.sales}/orders/recent?limit=3`);
    expect(recent.items.map((o) => o.id)).toEqual(['O-00300', 'O-00299', 'O-00298']);
    const summary = await getJson<SalesSummary>(`${estate.urls.sales}/summary`);
    const twin = await startDemoEstate();
    try {
      expect(await getJson<SalesSummary>(`${twin.urls.sales}/summary`)).toEqual(summary);
    } finally {
      await twin.stop();
    }
    expect(summary.today.orders).toBeGreaterThanOrEqual(3);
    expect(summary.last7Days.orders).toBeGreaterThanOrEqual(summary.today.orders);
    expect(summary.last30Days.revenue).toBeGreaterThanOrEqual(summary.last7Days.revenue);
    expect(Object.values(summary.byStatus).reduce((a, b) => a + b, 0)).toBe(300);
  });

  it('creates an order (201) that continues the sequence and is priced from inventory', async () => {
    const product = await getJson<{ price: number }>(`${estate.urls.inventory}/products/${DEMO_IDS.sku}`);
    const res = await postOrder(
      estate,
      JSON.stringify({
        customerId: 'C0001',
        partnerId: 'globex',
        items: [{ sku: DEMO_IDS.sku, quantity: 3 }],
      }),
    );
    expect(res.status).toBe(201);
    const order = (await res.json()) as Order;
    expect(order).toMatchObject({
      id: 'O-00301',
      customerId: 'C0001',
      partnerId: 'globex',
      status: 'pending',
      currency: 'EUR',
    });
    expect(order.items).toEqual([{ sku: DEMO_IDS.sku, quantity: 3, unitPrice: product.price }]);
    expect(order.total).toBe(Math.round(product.price * 300) / 100);
    expect(await getJson<Order>(`${estate.urls.sales}/orders/O-00301`)).toEqual(order);
    const next = (await (
      await postOrder(
        estate,
        JSON.stringify({ customerId: 'C0002', items: [{ sku: DEMO_IDS.sku, quantity: 1 }] }),
      )
    ).json()) as Order;
    expect(next).toMatchObject({ id: 'O-00302', partnerId: null });
    expect(
      (await getJson<{ items: Order[] }>(`${estate.urls.sales}/orders/recent?limit=1`)).items[0]?.id,
    ).toBe('O-00302');
  });

  it('places one order per Idempotency-Key: the same key and order answers the first order again; another order is a 422', async () => {
    const order = JSON.stringify({ customerId: 'C0003', partnerId: 'acme', items: [{ sku: DEMO_IDS.sku, quantity: 4 }] });
    const total = async () => (await getJson<Page>(`${estate.urls.sales}/orders?limit=1`)).total;
    const before = await total();
    const first = await postOrder(estate, order, 'key-sales-1');
    expect(first.status).toBe(201);
    const placed = (await first.json()) as Order;
    const again = await postOrder(estate, order, 'key-sales-1');
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(placed);
    expect(await total()).toBe(before + 1);
    const other = await postOrder(estate, order.replace('"quantity":4', '"quantity":5'), 'key-sales-1');
    expect(other.status).toBe(422);
    expect(await total()).toBe(before + 1);
    // another key is another order; a malformed key is refused
    expect((await postOrder(estate, order, 'key-sales-2')).status).toBe(201);
    expect(await total()).toBe(before + 2);
    expect((await postOrder(estate, order, 'bad key with spaces')).status).toBe(400);
    expect(await total()).toBe(before + 2);
  });

  it.each([
    [400, 'malformed JSON', '{"customerId":'],
    [400, 'missing customerId', JSON.stringify({ items: [{ sku: DEMO_IDS.sku, quantity: 1 }] })],
    [400, 'missing items', JSON.stringify({ customerId: 'C0001' })],
    [400, 'empty items', JSON.stringify({ customerId: 'C0001', items: [] })],
    [
      400,
      'quantity not an integer',
      JSON.stringify({ customerId: 'C0001', items: [{ sku: DEMO_IDS.sku, quantity: '2' }] }),
    ],
    [
      400,
      'unknown partner',
      JSON.stringify({
        customerId: 'C0001',
        partnerId: 'initech',
        items: [{ sku: DEMO_IDS.sku, quantity: 1 }],
      }),
    ],
    [
      422,
      'unknown sku',
      JSON.stringify({ customerId: 'C0001', items: [{ sku: DEMO_IDS.unknownSku, quantity: 1 }] }),
    ],
    [422, 'quantity 0', JSON.stringify({ customerId: 'C0001', items: [{ sku: DEMO_IDS.sku, quantity: 0 }] })],
    [
      422,
      'unknown customer',
      JSON.stringify({ customerId: DEMO_IDS.unknownCustomer, items: [{ sku: DEMO_IDS.sku, quantity: 1 }] }),
    ],
  ])('answers %i for %s and creates nothing', async (status, _case, body) => {
    const before = await getJson<Page>(`${estate.urls.sales}/orders?limit=1`);
    const res = await postOrder(estate, body);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await res.json()).toMatchObject({ status, detail: expect.any(String) });
    expect((await getJson<Page>(`${estate.urls.sales}/orders?limit=1`)).total).toBe(before.total);
  });

  it('keeps sales state per estate instance', async () => {
    const other = await startDemoEstate();
    try {
      expect((await getJson<Page>(`${other.urls.sales}/orders?limit=1`)).total).toBe(300);
    } finally {
      await other.stop();
    }
  });
});
