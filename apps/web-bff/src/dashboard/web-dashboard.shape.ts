import { asDegraded, partialOf, type Degraded } from '@frontdoor/aggregation';
import type { Order, SalesSummary, StockAlert } from '@frontdoor/backends';

/** The dashboard screen of the web app: sales figures, low-stock products, the latest orders. */
export interface WebDashboard {
  readonly sales: {
    readonly currency: string;
    readonly today: { readonly orders: number; readonly revenue: number };
    readonly last7Days: { readonly orders: number; readonly revenue: number };
    readonly last30Days: { readonly orders: number; readonly revenue: number };
    readonly byStatus: Readonly<Record<string, number>>;
  };
  /** `null` when inventory could not answer in time (then `degraded.missing` names `stockAlerts`). */
  readonly stockAlerts: readonly { readonly sku: string; readonly name: string; readonly stock: number; readonly warehouse: string }[] | null;
  /** `null` when sales could not list them in time (then `degraded.missing` names `recentOrders`). */
  readonly recentOrders:
    | readonly { readonly id: string; readonly customerId: string; readonly total: number; readonly currency: string; readonly status: string; readonly createdAt: string; readonly lines: number }[]
    | null;
  readonly degraded?: Degraded;
}

/** At most this many alerts on the screen (lowest stock first, as inventory sorts them). */
export const MAX_ALERTS = 20;

/**
 * Shapes the dashboard from its parts, naming every field it copies. The summary is required (the caller fails
 * without it); a missing optional part becomes `null` and the answer is marked degraded (`partial`, naming it).
 */
export function toWebDashboard(
  summary: SalesSummary,
  alerts: readonly StockAlert[] | undefined,
  recent: readonly Order[] | undefined,
): WebDashboard {
  const dashboard: WebDashboard = {
    sales: {
      currency: summary.currency,
      today: { orders: summary.today.orders, revenue: summary.today.revenue },
      last7Days: { orders: summary.last7Days.orders, revenue: summary.last7Days.revenue },
      last30Days: { orders: summary.last30Days.orders, revenue: summary.last30Days.revenue },
      byStatus: { ...summary.byStatus },
    },
    stockAlerts: alerts === undefined ? null : alerts.slice(0, MAX_ALERTS).map((a) => ({ sku: a.sku, name: a.name, stock: a.stock, warehouse: a.warehouse.name })),
    recentOrders:
      recent === undefined
        ? null
        : recent.map((o) => ({ id: o.id, customerId: o.customerId, total: o.total, currency: o.currency, status: o.status, createdAt: o.createdAt, lines: o.items.length })),
  };
  const missing = [...(alerts === undefined ? ['stockAlerts'] : []), ...(recent === undefined ? ['recentOrders'] : [])];
  const degraded = partialOf(missing);
  return degraded === undefined ? dashboard : asDegraded(dashboard, degraded);
}
