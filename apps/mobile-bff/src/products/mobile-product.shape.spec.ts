import type { Product } from '@frontdoor/backends';
import { toMobileProduct } from './mobile-product.shape';

const product: Product = {
  sku: 'SKU-1',
  name: 'Kettle',
  description: 'A long description a phone does not need.',
  price: 19.99,
  currency: 'EUR',
  stock: 4,
  warehouse: { id: 'W1', name: 'North', location: 'Hamburg' },
  images: [
    { url: 'https://cdn/full.jpg', kind: 'full', width: 1200, height: 1200 },
    { url: 'https://cdn/thumb.jpg', kind: 'thumbnail', width: 120, height: 120 },
  ],
  tags: ['kitchen'],
  supplier: { id: 'S1', name: 'Acme Supplies' },
  createdAt: '2024-01-01',
  updatedAt: '2024-01-02',
};

describe('toMobileProduct', () => {
  it.each([
    ['the thumbnail image', product.images, 'https://cdn/thumb.jpg'],
    ['the first image when none is a thumbnail', product.images.slice(0, 1), 'https://cdn/full.jpg'],
    ['null when there is no image', [], null],
  ])('uses %s', (_label, images, thumbnail) => {
    expect(toMobileProduct({ ...product, images })).toEqual({ sku: 'SKU-1', name: 'Kettle', price: 19.99, currency: 'EUR', thumbnail });
  });

  it('copies nothing it does not name', () => {
    const hostile = { ...product, costPrice: 3.5, internalNotes: 'margin 80%' } as Product;
    expect(Object.keys(toMobileProduct(hostile)).sort()).toEqual(['currency', 'name', 'price', 'sku', 'thumbnail']);
    expect(JSON.stringify(toMobileProduct(hostile))).not.toMatch(/3\.5|margin|Hamburg|Acme/);
  });
});
