import type { Product } from '@frontdoor/backends';

/** The v1 partner product: frozen contract (see the contract-lock test). */
export interface V1Product {
  readonly sku: string;
  readonly name: string;
  readonly price: number;
  readonly currency: string;
  readonly stock: number;
}

export function toV1Product(product: Product): V1Product {
  return { sku: product.sku, name: product.name, price: product.price, currency: product.currency, stock: product.stock };
}
