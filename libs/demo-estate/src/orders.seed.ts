import { CUSTOMER_COUNT } from './customers.seed';
import type { Product } from './products.seed';
import { DAY_MS, HOUR_MS, REFERENCE_MS, Seeded, roundMoney, sequenceId } from './seed';

/** Lifecycle of an order. */
export type OrderStatus = 'pending' | 'paid' | 'shipped' | 'cancelled';
/** The demo partners (see `DEMO_PARTNERS`). */
export type PartnerId = 'acme' | 'globex';

/** An order as sales serves it. */
export interface Order {
  id: string;
  customerId: string;
  partnerId: PartnerId | null;
  items: OrderItem[];
  total: number;
  currency: 'EUR';
  status: OrderStatus;
  createdAt: string;
}
/** One order line; `unitPrice` is the product's price when ordered. */
export interface OrderItem {
  sku: string;
  quantity: number;
  unitPrice: number;
}

/** How many orders sales holds at start. */
export const ORDER_COUNT = 300;
/** Every order status, in lifecycle order (the `status` filter of `GET /orders` accepts exactly these). */
export const ORDER_STATUSES: readonly OrderStatus[] = ['pending', 'paid', 'shipped', 'cancelled'];

/** `O-00001` style order ids. */
export function orderId(n: number): string {
  return sequenceId('O-', n, 5);
}

/** Fixed by construction: n ≡ 1 (mod 4) → acme (O-00001, O-00005, …); n ≡ 2 (mod 6) → globex (O-00002, O-00008, …). */
function partnerFor(n: number): PartnerId | null {
  if (n % 4 === 1) return 'acme';
  if (n % 6 === 2) return 'globex';
  return null;
}

function statusFor(ageMs: number, rng: Seeded): OrderStatus {
  const roll = rng.float();
  if (roll < 0.08) return 'cancelled';
  if (ageMs < 2 * DAY_MS) return roll < 0.55 ? 'pending' : 'paid';
  if (ageMs < 7 * DAY_MS) return roll < 0.25 ? 'pending' : roll < 0.6 ? 'paid' : 'shipped';
  return roll < 0.15 ? 'paid' : 'shipped';
}

/** Line items priced from the product list (the unit price is the product's price at order time). */
export function priceItems(
  lines: readonly { sku: string; quantity: number }[],
  bySku: ReadonlyMap<string, Product>,
): { items: OrderItem[]; total: number } {
  const items = lines.map(({ sku, quantity }) => ({
    sku,
    quantity,
    unitPrice: (bySku.get(sku) as Product).price,
  }));
  return { items, total: roundMoney(items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0)) };
}

/**
 * Ages of the orders, oldest first: spread over the 90 days before the reference date, the last three inside the
 * reference day itself (so the summary's "today" is never empty).
 */
function agesMs(rng: Seeded): number[] {
  const older = Array.from({ length: ORDER_COUNT - 3 }, () => rng.int(13 * HOUR_MS, 90 * DAY_MS)).sort(
    (a, b) => b - a,
  );
  return [...older, 9 * HOUR_MS, 5 * HOUR_MS, 1 * HOUR_MS];
}

/** The 300 seeded orders, `O-00001`…`O-00300`, oldest first, identical on every call for the same products. */
export function seedOrders(products: readonly Product[]): Order[] {
  const rng = new Seeded(0x5a1e_0004);
  const bySku = new Map(products.map((p) => [p.sku, p]));
  return agesMs(rng).map((ageMs, i) => {
    const n = i + 1;
    const lines = rng.sample(products, rng.int(1, 4)).map((p) => ({ sku: p.sku, quantity: rng.int(1, 5) }));
    return {
      id: orderId(n),
      customerId: sequenceId('C', rng.int(1, CUSTOMER_COUNT), 4),
      partnerId: partnerFor(n),
      ...priceItems(lines, bySku),
      currency: 'EUR',
      status: statusFor(ageMs, rng),
      createdAt: new Date(Math.floor((REFERENCE_MS - ageMs) / 1000) * 1000).toISOString(),
    };
  });
}
