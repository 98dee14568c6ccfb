import { ORDER_STATUSES, type Order, type OrderStatus } from './orders.seed';
import { DAY_MS, DEMO_REFERENCE_DATE, REFERENCE_MS, roundMoney } from './seed';

/** Orders and revenue (non-cancelled totals) in one window. */
export interface SalesWindow {
  orders: number;
  revenue: number;
}

/** What `GET /summary` answers. */
export interface SalesSummary {
  currency: 'EUR';
  referenceDate: string;
  today: SalesWindow;
  last7Days: SalesWindow;
  last30Days: SalesWindow;
  byStatus: Record<OrderStatus, number>;
}

function windowFrom(orders: readonly Order[], fromMs: number): SalesWindow {
  let count = 0;
  let revenue = 0;
  for (const order of orders) {
    if (Date.parse(order.createdAt) < fromMs) continue;
    count += 1;
    if (order.status !== 'cancelled') revenue += order.total;
  }
  return { orders: count, revenue: roundMoney(revenue) };
}

/**
 * The sales summary relative to the fixed reference date, not the clock, so it is deterministic: "today" starts at
 * the reference day's 00:00 UTC, the other windows 7 and 30 days before the reference instant. Windows have no upper
 * bound, so orders placed during the demo (stamped with the real clock) count everywhere.
 */
export function summarize(orders: readonly Order[]): SalesSummary {
  const byStatus = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
  for (const order of orders) byStatus[order.status] += 1;
  return {
    currency: 'EUR',
    referenceDate: DEMO_REFERENCE_DATE,
    today: windowFrom(orders, Math.floor(REFERENCE_MS / DAY_MS) * DAY_MS),
    last7Days: windowFrom(orders, REFERENCE_MS - 7 * DAY_MS),
    last30Days: windowFrom(orders, REFERENCE_MS - 30 * DAY_MS),
    byStatus,
  };
}
