import type { Product } from '@frontdoor/backends';
import { availabilityOf, toV2Product } from './v2-product.shape';

/** An upstream product with every field inventory has, and secret-looking ones it might add. */
const upstream = {
  sku: 'SKU-7',
  name: 'Lamp',
  description: 'd',
  price: 42,
  currency: 'EUR',
  stock: 3,
  warehouse: { id: 'W-SECRET', name: 'Hidden depot', location: 'Basement 3' },
  images: [{ url: 'http://cdn.internal/x.png', kind: 'thumb', width: 1, height: 1 }],
  tags: ['clearance'],
  supplier: { id: 'S', name: 'Supplier Ltd' },
  createdAt: 'c',
  updatedAt: 'u',
  costPrice: 12.5,
  internalNotes: 'do not share',
  apiToken: 'tok_live_secret',
} as Product;

describe('toV2Product', () => {
  it.each([
    [-1, 'out_of_stock'],
    [0, 'out_of_stock'],
    [Number.NaN, 'out_of_stock'],
    [1, 'low_stock'],
    [9, 'low_stock'],
    [10, 'in_stock'],
    [500, 'in_stock'],
  ])('stock %d is %s', (stock, availability) => {
    expect(availabilityOf(stock)).toBe(availability);
    expect(toV2Product({ ...upstream, stock }).availability).toBe(availability);
  });

  it.each([
    ['the v2 fields, money with its currency', { ...upstream }, { sku: 'SKU-7', name: 'Lamp', price: { amount: 42, currency: 'EUR' }, availability: 'low_stock' }],
    ['another currency travels with the amount', { ...upstream, price: 9.99, currency: 'USD', stock: 0 }, { sku: 'SKU-7', name: 'Lamp', price: { amount: 9.99, currency: 'USD' }, availability: 'out_of_stock' }],
  ])('%s', (_label, product, expected) => {
    expect(toV2Product(product)).toEqual(expected);
  });

  it('copies nothing it does not name: no stock count, cost, notes, warehouse, supplier or token', () => {
    const text = JSON.stringify(toV2Product(upstream));
    expect(Object.keys(toV2Product(upstream)).sort()).toEqual(['availability', 'name', 'price', 'sku']);
    expect(text).not.toMatch(/"stock"|12\.5|do not share|W-SECRET|Hidden|Basement|Supplier|tok_live|cdn\.internal|clearance/);
  });
});
