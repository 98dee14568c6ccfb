import type { Page, Product } from '@frontdoor/backends';

/** What a phone shows of a product: five fields and one small image. */
export interface MobileProduct {
  readonly sku: string;
  readonly name: string;
  readonly price: number;
  readonly currency: string;
  readonly thumbnail: string | null;
}

/** A page of the mobile catalogue: the products and the opaque cursor of the next page (null on the last). */
export interface MobileProductPage {
  readonly items: readonly MobileProduct[];
  readonly nextCursor: string | null;
}

export function toMobileProduct(product: Product): MobileProduct {
  const thumbnail = product.images.find((image) => image.kind === 'thumbnail') ?? product.images[0];
  return { sku: product.sku, name: product.name, price: product.price, currency: product.currency, thumbnail: thumbnail?.url ?? null };
}

/**
 * Trims an inventory page for the phone. `cursorOf` turns the offset of the next page into a cursor; there is a next
 * page only when this one is not empty and did not reach the total (no total, offset or limit is sent: a phone scrolls).
 */
export function toMobileProductPage(page: Page<Product>, cursorOf: (offset: number) => string): MobileProductPage {
  const next = page.offset + page.items.length;
  return { items: page.items.map(toMobileProduct), nextCursor: page.items.length > 0 && next < page.total ? cursorOf(next) : null };
}
