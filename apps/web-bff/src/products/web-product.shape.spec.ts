import type { Page, Product } from '@frontdoor/backends';
import { WEB_PRODUCT_FIELDS, toWebProduct, toWebProductPage, toWebProductView } from './web-product.shape';

const product: Product = {
  sku: 'SKU-00001',
  name: 'Compact Steel Kettle',
  description: 'A kettle for busy kitchens.',
  price: 49.5,
  currency: 'EUR',
  stock: 12,
  warehouse: { id: 'WH-BER', name: 'Berlin Central', location: 'Berlin, DE' },
  images: [{ url: 'https://cdn/t.jpg', kind: 'thumbnail', width: 150, height: 150 }],
  tags: ['kitchen', 'eco'],
  supplier: { id: 'SUP-001', name: 'Nordwerk' },
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-02-01T00:00:00.000Z',
};

describe('toWebProduct', () => {
  it('answers every named field, in full detail', () => {
    expect(toWebProduct(product)).toEqual(product);
    expect(Object.keys(toWebProduct(product))).toEqual([...WEB_PRODUCT_FIELDS]);
  });

  it.each([
    ['every field', undefined, [...WEB_PRODUCT_FIELDS]],
    ['sku, name, price', ['sku', 'name', 'price'] as const, ['sku', 'name', 'price']],
    ['the warehouse only', ['warehouse'] as const, ['warehouse']],
  ])('a view of %s has keys %j', (_label, fields, keys) => {
    expect(Object.keys(toWebProductView(product, fields))).toEqual(keys);
  });

  it('copies nothing it does not name, at any depth, whatever the upstream adds', () => {
    const hostile = {
      ...product,
      costPrice: 3.25,
      internalNotes: 'Margin under review',
      warehouse: { ...product.warehouse, alarmCode: '4711' },
      images: [{ ...product.images[0], signedUploadUrl: 'https://cdn/upload?sig=abc' }],
      supplier: { ...product.supplier, contactEmail: 'orders@nordwerk.example', iban: 'DE00' },
    } as unknown as Product;
    const text = JSON.stringify(toWebProduct(hostile));
    expect(text).not.toMatch(/costPrice|3\.25|internalNotes|Margin|alarmCode|4711|signedUploadUrl|sig=|contactEmail|nordwerk\.example|iban|DE00/);
  });
});

describe('toWebProductPage', () => {
  const page: Page<Product> = { items: [product, { ...product, sku: 'SKU-00002' }], total: 500, limit: 2, offset: 40 };

  it.each([
    [undefined, [...WEB_PRODUCT_FIELDS]],
    [['sku', 'price'] as const, ['sku', 'price']],
  ])('with fields %j: items with keys %j, and the paging of the page', (fields, keys) => {
    const shaped = toWebProductPage(page, fields);
    expect(shaped).toMatchObject({ total: 500, limit: 2, offset: 40 });
    expect(shaped.items.map((i) => Object.keys(i))).toEqual([keys, keys]);
  });

  it('copies nothing of the page it does not name', () => {
    const hostile = { ...page, nextToken: 'internal', debug: { host: 'inventory-1' } } as Page<Product>;
    expect(Object.keys(toWebProductPage(hostile, undefined)).sort()).toEqual(['items', 'limit', 'offset', 'total']);
  });
});
