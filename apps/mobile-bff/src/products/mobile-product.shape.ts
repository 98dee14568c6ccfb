import type { Product } from '@frontdoor/backends';

/** What a phone shows of a product: five fields and one small image. */
export interface MobileProduct {
  readonly sku: string;
  readonly name: string;
  readonly price: number;
  readonly currency: string;
  readonly thumbnail: string | null;
}

export function toMobileProduct(product: Product): MobileProduct {
  const thumbnail = product.images.find((image) => image.kind === 'thumbnail') ?? product.images[0];
  return { sku: product.sku, name: product.name, price: product.price, currency: product.currency, thumbnail: thumbnail?.url ?? null };
}
