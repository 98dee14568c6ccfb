import type { Order } from '@frontdoor/backends';
import { toV2Money, type V2Money } from '../v2-money.shape';

/** One line of a v2 partner order. */
export interface V2OrderLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: V2Money;
}

/** The v2 partner order: money with its currency. The customer and partner ids of the sales record are not part of it. */
export interface V2Order {
  readonly id: string;
  readonly status: string;
  readonly items: readonly V2OrderLine[];
  readonly total: V2Money;
  readonly createdAt: string;
}

/** Copies named fields only, so a new sales field can never reach partners by default. */
export function toV2Order(order: Order): V2Order {
  return {
    id: order.id,
    status: order.status,
    items: order.items.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPrice: toV2Money(line.unitPrice, order.currency) })),
    total: toV2Money(order.total, order.currency),
    createdAt: order.createdAt,
  };
}
