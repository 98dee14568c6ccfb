import { Logger } from '@nestjs/common';
import { degradedOf } from '@frontdoor/aggregation';
import type { CustomersClient, InventoryClient, Order, OrderQuery, Page, Product, SalesClient } from '@frontdoor/backends';
import { UpstreamError } from '@frontdoor/errors';
import { UpstreamAbortedError } from '@frontdoor/upstream';
import { FEATURED_TAG, HomeService, OPEN_STATUSES } from './home.service';

const product = {
  sku: 'SKU-1', name: 'Kettle', description: 'd', price: 1, currency: 'EUR', stock: 5, warehouse: { id: 'W', name: 'N', location: 'L' },
  images: [], tags: [FEATURED_TAG], supplier: { id: 'S', name: 'SN' }, createdAt: 'c', updatedAt: 'u',
} as Product;
const customer = { id: 'C0042', name: 'Ada', email: 'e', phone: 'p', address: { street: 's', city: 'c', postcode: 'p', country: 'DE' }, segment: 'vip' };
const page = (total: number): Page<Order> => ({ items: [], total, limit: 5, offset: 0 });
const down = (upstream: string) => new UpstreamError(upstream, 'unavailable', `${upstream} is unavailable`);

interface Fakes {
  featured?: () => Promise<Page<Product>>;
  account?: () => Promise<typeof customer>;
  orders?: (query: OrderQuery) => Promise<Page<Order>>;
}

/** Fakes of the three backend clients (the port is the class's public method), recording what they were asked. */
function home(fakes: Fakes = {}) {
  const calls = { subjects: [] as string[], orderQueries: [] as OrderQuery[], budgets: {} as Record<string, number | undefined> };
  const svc = new HomeService(
    { listProducts: (_q: unknown, ctx: { deadlineMs?: number }) => ((calls.budgets['inventory'] = ctx.deadlineMs), (fakes.featured ?? (() => Promise.resolve({ items: [product], total: 1, limit: 12, offset: 0 })))()) } as unknown as InventoryClient,
    { listOrders: (q: OrderQuery) => (calls.orderQueries.push(q), (fakes.orders ?? ((x: OrderQuery) => Promise.resolve(page(x.status ? 2 : 7))))(q)) } as unknown as SalesClient,
    { customerOfSubject: (sub: string, ctx: { deadlineMs?: number }) => (calls.subjects.push(sub), (calls.budgets['customers'] = ctx.deadlineMs), (fakes.account ?? (() => Promise.resolve(customer)))()) } as unknown as CustomersClient,
    1000,
  );
  return { svc, calls };
}

describe('HomeService (featured required, the user’s parts optional)', () => {
  let warnings: jest.SpyInstance;
  beforeEach(() => {
    warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warnings.mockRestore());

  it('asks for the subject’s account once and for that customer’s orders, recent and open', async () => {
    const { svc, calls } = home();
    const screen = await svc.loadHome('sam', { headers: {} });
    expect(calls.subjects).toEqual(['sam']);
    expect(calls.orderQueries).toEqual(expect.arrayContaining([{ limit: 5, customerId: 'C0042' }, { status: OPEN_STATUSES, limit: 1, customerId: 'C0042' }]));
    expect(screen.counts).toEqual({ orders: 7, openOrders: 2 });
    expect(degradedOf(screen)).toBeUndefined();
  });

  it.each([
    ['customers down', ['customer', 'recentOrders', 'counts'], { account: () => Promise.reject(down('customers')) }, 0, ['customer', 'recent', 'open']],
    ['sales down', ['recentOrders', 'counts'], { orders: () => Promise.reject(down('sales')) }, 2, ['recent', 'open']],
    ['only the open count fails', ['counts'], { orders: (q: OrderQuery) => (q.status ? Promise.reject(down('sales')) : Promise.resolve(page(7))) }, 2, ['open']],
  ])('%s → 200 without %j', async (_label, missing, fakes, orderCalls, warned) => {
    const { svc, calls } = home(fakes as Fakes);
    const screen = await svc.loadHome('sam', { headers: {} });
    expect(screen.featured).toHaveLength(1);
    expect(degradedOf(screen)).toEqual({ reason: 'partial', missing });
    expect(calls.orderQueries).toHaveLength(orderCalls);
    // one warning per part left out, naming it and the upstream, never a host
    expect(warnings.mock.calls.map(([message]) => String(message).split(':')[0])).toEqual(warned.map((part) => `home part ${part} left out`));
  });

  it('logs no warning for parts cancelled because the client went away (its 499 access line says so)', async () => {
    const { svc } = home({ account: () => Promise.reject(new UpstreamAbortedError('customers', new Error('the client went away'))) });
    const screen = await svc.loadHome('sam', { headers: {} });
    expect(degradedOf(screen)).toEqual({ reason: 'partial', missing: ['customer', 'recentOrders', 'counts'] });
    expect(warnings).not.toHaveBeenCalled();
  });

  it('fails with inventory’s own error when the featured products fail', async () => {
    const { svc } = home({ featured: () => Promise.reject(new UpstreamError('inventory', 'timeout', 'inventory did not answer within 1000 ms')) });
    await expect(svc.loadHome('sam', { headers: {} })).rejects.toMatchObject({ status: 504, upstream: 'inventory' });
  });

  it('gives inventory the whole route budget, the user’s parts 85% of it', async () => {
    const { svc, calls } = home();
    await svc.loadHome('sam', { headers: {} });
    expect(calls.budgets).toEqual({ inventory: 1000, customers: 850 });
  });
});
