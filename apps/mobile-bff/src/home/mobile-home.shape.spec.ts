import { degradedOf } from '@frontdoor/aggregation';
import type { Customer, Order, Page, Product } from '@frontdoor/backends';
import { FEATURED_COUNT, toMobileHome } from './mobile-home.shape';

const product: Product = {
  sku: 'SKU-00001', name: 'Kettle', description: 'long text', price: 19.99, currency: 'EUR', stock: 12,
  warehouse: { id: 'W1', name: 'North', location: 'Hamburg' },
  images: [{ url: 'https://cdn/t.jpg', kind: 'thumbnail', width: 150, height: 150 }],
  tags: ['bestseller'], supplier: { id: 'S1', name: 'Nordwerk' }, createdAt: 'c', updatedAt: 'u',
};
const customer: Customer = {
  id: 'C0042', name: 'Ada Weber', email: 'ada@mail.example', phone: '+49 30 1',
  address: { street: 'Hauptstr. 1', city: 'Berlin', postcode: '10115', country: 'DE' }, segment: 'vip',
};
const order: Order = {
  id: 'O-00300', customerId: 'C0042', partnerId: 'acme', items: [{ sku: 'SKU-1', quantity: 2, unitPrice: 5 }, { sku: 'SKU-2', quantity: 1, unitPrice: 3 }],
  total: 13, currency: 'EUR', status: 'paid', createdAt: '2025-03-14T11:00:00.000Z',
};
const recent: Page<Order> = { items: [order], total: 7, limit: 5, offset: 0 };
const open: Page<Order> = { items: [order], total: 2, limit: 1, offset: 0 };
const FEATURED = [{ sku: 'SKU-00001', name: 'Kettle', price: 19.99, currency: 'EUR', thumbnail: 'https://cdn/t.jpg' }];
const ORDERS = [{ id: 'O-00300', status: 'paid', total: 13, currency: 'EUR', createdAt: '2025-03-14T11:00:00.000Z', lines: 2 }];

describe('toMobileHome', () => {
  it.each([
    ['every part', customer, recent, open, { name: 'Ada Weber' }, ORDERS, { orders: 7, openOrders: 2 }, []],
    ['no customer account (nor, then, its orders)', undefined, undefined, undefined, null, null, null, ['customer', 'recentOrders', 'counts']],
    ['no recent orders', customer, undefined, open, { name: 'Ada Weber' }, null, null, ['recentOrders', 'counts']],
    ['no open-order count', customer, recent, undefined, { name: 'Ada Weber' }, ORDERS, null, ['counts']],
    ['a user without orders', customer, { ...recent, items: [], total: 0 }, { ...open, items: [], total: 0 }, { name: 'Ada Weber' }, [], { orders: 0, openOrders: 0 }, []],
  ])('with %s', (_label, account, recentPage, openPage, shownCustomer, shownOrders, counts, missing) => {
    const home = toMobileHome([product], account, recentPage, openPage);
    expect(home.featured).toEqual(FEATURED);
    expect(home.customer).toEqual(shownCustomer);
    expect(home.recentOrders).toEqual(shownOrders);
    expect(home.counts).toEqual(counts);
    if (missing.length === 0) {
      expect('degraded' in home).toBe(false);
      expect(degradedOf(home)).toBeUndefined();
    } else {
      expect(home.degraded).toEqual({ reason: 'partial', missing });
      expect(degradedOf(home)).toEqual({ reason: 'partial', missing });
    }
  });

  it.each([
    ['out-of-stock products are not featured', [{ ...product, stock: 0 }, product], 1],
    [`at most ${FEATURED_COUNT} are featured`, Array(20).fill(product), FEATURED_COUNT],
    ['none in stock: an empty shelf, not a failure', [{ ...product, stock: 0 }], 0],
  ])('%s', (_label, products, count) => {
    const home = toMobileHome(products, customer, recent, open);
    expect(home.featured).toHaveLength(count);
    expect('degraded' in home).toBe(false);
  });

  it('copies nothing it does not name, whatever the upstreams add', () => {
    const hostileProduct = { ...product, costPrice: 3.5, internalNotes: 'Margin under review', supplier: { ...product.supplier, contactEmail: 'x@nordwerk.example' } } as Product;
    const hostileCustomer = { ...customer, creditScore: 812, internalNotes: 'slow payer' } as Customer;
    const hostileOrder = { ...order, partnerId: 'acme-secret', items: [{ sku: 'SKU-1', quantity: 2, unitPrice: 5, costPrice: 1 }], fraudScore: 0.9 } as unknown as Order;
    const home = toMobileHome([hostileProduct], hostileCustomer, { ...recent, items: [hostileOrder] }, open);
    expect(Object.keys(home).sort()).toEqual(['counts', 'customer', 'featured', 'recentOrders']);
    const text = JSON.stringify(home);
    expect(text).not.toMatch(/costPrice|3\.5|Margin|nordwerk|creditScore|812|slow payer|ada@|Hauptstr|\+49|vip|C0042|acme|fraudScore|unitPrice|SKU-1"|description|Hamburg/);
  });
});
