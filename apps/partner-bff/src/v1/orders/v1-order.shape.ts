import type { Order } from '@frontdoor/backends';

/** One line of a v1 partner order. */
export interface V1OrderLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

/** The v1 partner order: frozen contract. The customer and partner ids of the sales record are not part of it. */
export interface V1Order {
  readonly id: string;
  readonly status: string;
  readonly items: readonly V1OrderLine[];
  readonly total: number;
  readonly currency: string;
  readonly createdAt: string;
}

/** Copies named fields only, so a new sales field can never reach partners by default. */
export function toV1Order(order: Order): V1Order {
  return {
    id: order.id,
    status: order.status,
    items: order.items.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPrice: line.unitPrice })),
    total: order.total,
    currency: order.currency,
    createdAt: order.createdAt,
  };
}
