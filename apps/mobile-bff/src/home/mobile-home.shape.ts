import { asDegraded, partialOf, type Degraded } from '@frontdoor/aggregation';
import type { Customer, Order, Page, Product } from '@frontdoor/backends';
import { toMobileProduct, type MobileProduct } from '../products/mobile-product.shape';

/** An order as the home screen lists it: what, how much, where it stands. */
export interface MobileOrder {
  readonly id: string;
  readonly status: string;
  readonly total: number;
  readonly currency: string;
  readonly createdAt: string;
  /** Number of order lines. */
  readonly lines: number;
}

/** The home screen of the mobile app, in one answer. */
export interface MobileHome {
  readonly featured: readonly MobileProduct[];
  /** The signed-in user's customer account (for the greeting); null when customers could not answer in time. */
  readonly customer: { readonly name: string } | null;
  /** The user's latest orders, newest first; null when they could not be loaded. */
  readonly recentOrders: readonly MobileOrder[] | null;
  /** Badges: all orders of the user, and those still open (pending or paid); null when either count is missing. */
  readonly counts: { readonly orders: number; readonly openOrders: number } | null;
  readonly degraded?: Degraded;
}

/** Featured products shown at most; only products in stock are featured. */
export const FEATURED_COUNT = 6;

function toMobileOrder(o: Order): MobileOrder {
  return { id: o.id, status: o.status, total: o.total, currency: o.currency, createdAt: o.createdAt, lines: o.items.length };
}

/**
 * Shapes the home screen from its parts, naming every field it copies. `featured` is required (the caller fails
 * without it); every other part may be missing, and then shows as `null` and is named in `degraded.missing`:
 * `customer`, `recentOrders`, `counts` (which needs both the user's order page and the open-order count).
 */
export function toMobileHome(
  featured: readonly Product[],
  customer: Customer | undefined,
  recent: Page<Order> | undefined,
  open: Page<Order> | undefined,
): MobileHome {
  const home: MobileHome = {
    featured: featured.filter((p) => p.stock > 0).slice(0, FEATURED_COUNT).map(toMobileProduct),
    customer: customer === undefined ? null : { name: customer.name },
    recentOrders: recent === undefined ? null : recent.items.map(toMobileOrder),
    counts: recent === undefined || open === undefined ? null : { orders: recent.total, openOrders: open.total },
  };
  const missing = [
    ...(customer === undefined ? ['customer'] : []),
    ...(recent === undefined ? ['recentOrders'] : []),
    ...(home.counts === null ? ['counts'] : []),
  ];
  const degraded = partialOf(missing);
  return degraded === undefined ? home : asDegraded(home, degraded);
}
