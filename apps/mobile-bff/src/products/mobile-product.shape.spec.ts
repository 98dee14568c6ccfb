import type { Page, Product } from '@frontdoor/backends';
import { toMobileProduct, toMobileProductPage } from './mobile-product.shape';

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
    const hostile = { ...product, costPrice: 3.5, internalNotes: 'margin 80%', supplier: { ...product.supplier, contactEmail: 'x@acme.example' } } as Product;
    expect(Object.keys(toMobileProduct(hostile)).sort()).toEqual(['currency', 'name', 'price', 'sku', 'thumbnail']);
    expect(JSON.stringify(toMobileProduct(hostile))).not.toMatch(/3\.5|margin|Hamburg|Acme|acme\.example|description/);
  });
});

describe('toMobileProductPage', () => {
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({ ...product, sku: `SKU-${i}` }));
  const cursorOf = (offset: number) => `cursor-${offset}`;

  it.each([
    ['a first page of many', { items: items(20), total: 500, limit: 20, offset: 0 }, 'cursor-20'],
    ['a middle page', { items: items(20), total: 500, limit: 20, offset: 460 }, 'cursor-480'],
    ['the last full page', { items: items(20), total: 500, limit: 20, offset: 480 }, null],
    ['a short last page', { items: items(3), total: 43, limit: 20, offset: 40 }, null],
    ['an empty page past the end', { items: [], total: 43, limit: 20, offset: 60 }, null],
    ['no match at all', { items: [], total: 0, limit: 20, offset: 0 }, null],
  ])('%s → next cursor %s', (_label, page, next) => {
    const shaped = toMobileProductPage(page as Page<Product>, cursorOf);
    expect(shaped.nextCursor).toBe(next);
    expect(shaped.items).toHaveLength(page.items.length);
  });

  it('sends no total, offset or limit, and nothing of the page it does not name', () => {
    const hostile = { items: items(1), total: 9, limit: 1, offset: 0, debug: 'inventory-1:4001' } as Page<Product>;
    expect(Object.keys(toMobileProductPage(hostile, cursorOf)).sort()).toEqual(['items', 'nextCursor']);
  });
});
