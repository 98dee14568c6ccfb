import type { Product } from '@frontdoor/backends';
import { toV1Product } from './v1-product.shape';

const product = {
  sku: 'SKU-7',
  name: 'Lamp',
  description: 'd',
  price: 42,
  currency: 'EUR',
  stock: 0,
  warehouse: { id: 'W', name: 'N', location: 'L' },
  images: [],
  tags: [],
  supplier: { id: 'S', name: 'Supplier Ltd' },
  createdAt: 'c',
  updatedAt: 'u',
  costPrice: 12.5,
  internalNotes: 'do not share',
} as Product;

describe('toV1Product', () => {
  it.each([
    [0, 0],
    [7, 7],
  ])('stock %d is passed as %d', (stock, expected) => {
    expect(toV1Product({ ...product, stock }).stock).toBe(expected);
  });

  it('copies nothing it does not name', () => {
    expect(toV1Product(product)).toEqual({ sku: 'SKU-7', name: 'Lamp', price: 42, currency: 'EUR', stock: 0 });
    expect(JSON.stringify(toV1Product(product))).not.toMatch(/12\.5|do not share|Supplier/);
  });
});
