import type { Page, Product } from '@frontdoor/backends';
import { fieldsetParser, projectFields } from './sparse-fieldset';

/** A product as the web catalogue shows it: full detail, never cost price, internal notes or supplier contacts. */
export interface WebProduct {
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly price: number;
  readonly currency: string;
  readonly stock: number;
  readonly warehouse: { readonly id: string; readonly name: string; readonly location: string };
  readonly images: readonly { readonly url: string; readonly kind: string; readonly width: number; readonly height: number }[];
  readonly tags: readonly string[];
  readonly supplier: { readonly id: string; readonly name: string };
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type WebProductField = keyof WebProduct;

/** Every field of {@link WebProduct}, in answer order: what `?fields=` may name. */
export const WEB_PRODUCT_FIELDS = Object.freeze([
  'sku', 'name', 'description', 'price', 'currency', 'stock', 'warehouse', 'images', 'tags', 'supplier', 'createdAt', 'updatedAt',
] as const satisfies readonly WebProductField[]);

/** Parses `?fields=` against {@link WEB_PRODUCT_FIELDS}; built once. */
export const parseProductFields = fieldsetParser<WebProductField>(WEB_PRODUCT_FIELDS);

export interface WebProductPage {
  readonly items: readonly Partial<WebProduct>[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/** Names every field it copies, nested ones included, so a new upstream field can never leak by default. */
export function toWebProduct(p: Product): WebProduct {
  return {
    sku: p.sku,
    name: p.name,
    description: p.description,
    price: p.price,
    currency: p.currency,
    stock: p.stock,
    warehouse: { id: p.warehouse.id, name: p.warehouse.name, location: p.warehouse.location },
    images: p.images.map((i) => ({ url: i.url, kind: i.kind, width: i.width, height: i.height })),
    tags: [...p.tags],
    supplier: { id: p.supplier.id, name: p.supplier.name },
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/** The product, or only the selected fields of it when the client sent `?fields=`. */
export function toWebProductView(p: Product, fields: readonly WebProductField[] | undefined): Partial<WebProduct> {
  const product = toWebProduct(p);
  return fields === undefined ? product : projectFields(product, fields);
}

/** A catalogue page: the products (or their selected fields) and where the page is in the whole result. */
export function toWebProductPage(page: Page<Product>, fields: readonly WebProductField[] | undefined): WebProductPage {
  return { items: page.items.map((p) => toWebProductView(p, fields)), total: page.total, limit: page.limit, offset: page.offset };
}
