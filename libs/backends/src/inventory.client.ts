import { buildPath, type UpstreamClient } from '@frontdoor/upstream';
import type { CallContext } from './call-context';
import { list, num, readAs, record, str, type ShapeError } from './decode';
import type { Page, Product, ProductImage, StockAlert } from './domain';

export type { ShapeError };

function toImage(value: unknown): ProductImage {
  const v = record(value, 'image');
  return { url: str(v['url'], 'image.url'), kind: str(v['kind'], 'image.kind'), width: num(v['width'], 'image.width'), height: num(v['height'], 'image.height') };
}

export function readProduct(value: unknown): Product {
  const v = record(value, 'product');
  const warehouse = record(v['warehouse'], 'warehouse');
  const supplier = record(v['supplier'], 'supplier');
  return {
    sku: str(v['sku'], 'sku'),
    name: str(v['name'], 'name'),
    description: str(v['description'], 'description'),
    price: num(v['price'], 'price'),
    currency: str(v['currency'], 'currency'),
    stock: num(v['stock'], 'stock'),
    warehouse: { id: str(warehouse['id'], 'warehouse.id'), name: str(warehouse['name'], 'warehouse.name'), location: str(warehouse['location'], 'warehouse.location') },
    images: list(v['images'], 'images').map(toImage),
    tags: list(v['tags'], 'tags').map((t) => str(t, 'tag')),
    supplier: { id: str(supplier['id'], 'supplier.id'), name: str(supplier['name'], 'supplier.name') },
    createdAt: str(v['createdAt'], 'createdAt'),
    updatedAt: str(v['updatedAt'], 'updatedAt'),
  };
}

export function readPage<T>(value: unknown, item: (v: unknown) => T): Page<T> {
  const v = record(value, 'page');
  return { items: list(v['items'], 'items').map(item), total: num(v['total'], 'total'), limit: num(v['limit'], 'limit'), offset: num(v['offset'], 'offset') };
}

export function readStockAlert(value: unknown): StockAlert {
  const v = record(value, 'alert');
  const warehouse = record(v['warehouse'], 'warehouse');
  return {
    sku: str(v['sku'], 'sku'),
    name: str(v['name'], 'name'),
    stock: num(v['stock'], 'stock'),
    warehouse: { id: str(warehouse['id'], 'warehouse.id'), name: str(warehouse['name'], 'warehouse.name'), location: str(warehouse['location'], 'warehouse.location') },
  };
}

export interface ProductQuery {
  readonly limit?: number;
  readonly offset?: number;
  readonly q?: string;
  readonly tag?: string;
}

/** The inventory service: products and stock (JSON). */
export class InventoryClient {
  constructor(private readonly upstream: UpstreamClient) {}

  async listProducts(query: ProductQuery, ctx: CallContext): Promise<Page<Product>> {
    const body = await this.upstream.fetch({ method: 'GET', path: '/products', query: { ...query }, ...ctx });
    return readAs(this.upstream.name, body, (v) => readPage(v, readProduct));
  }

  async getProduct(sku: string, ctx: CallContext): Promise<Product> {
    const body = await this.upstream.fetch({ method: 'GET', path: buildPath('/products/:sku', { sku }), ...ctx });
    return readAs(this.upstream.name, body, readProduct);
  }

  /** Products whose stock is below `threshold` (default 10 upstream), lowest stock first. */
  async stockAlerts(ctx: CallContext, threshold?: number): Promise<readonly StockAlert[]> {
    const body = await this.upstream.fetch({ method: 'GET', path: '/stock/alerts', query: { threshold }, ...ctx });
    return readAs(this.upstream.name, body, (v) => list(record(v, 'alerts')['items'], 'items').map(readStockAlert));
  }
}
