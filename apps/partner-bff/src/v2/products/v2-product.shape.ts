import type { Product } from '@frontdoor/backends';
import { toV2Money, type V2Money } from '../v2-money.shape';

export const AVAILABILITIES = ['in_stock', 'low_stock', 'out_of_stock'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/** Below this many units a product is `low_stock` (inventory's own stock-alert threshold). */
export const LOW_STOCK_BELOW = 10;

/** The v2 partner product: availability instead of a stock count, money with its currency. */
export interface V2Product {
  readonly sku: string;
  readonly name: string;
  readonly price: V2Money;
  readonly availability: Availability;
}

/** Partners learn whether they can order, not how many units the warehouse holds. */
export function availabilityOf(stock: number): Availability {
  if (!(stock > 0)) return 'out_of_stock';
  return stock < LOW_STOCK_BELOW ? 'low_stock' : 'in_stock';
}

/** Copies named fields only, so a new inventory field can never reach partners by default. */
export function toV2Product(product: Product): V2Product {
  return {
    sku: product.sku,
    name: product.name,
    price: toV2Money(product.price, product.currency),
    availability: availabilityOf(product.stock),
  };
}
