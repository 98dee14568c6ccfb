import { degradedOf } from '@frontdoor/aggregation';
import type { Order, SalesSummary, StockAlert } from '@frontdoor/backends';
import { MAX_ALERTS, toWebDashboard } from './web-dashboard.shape';

const summary: SalesSummary = {
  currency: 'EUR',
  referenceDate: '2026-03-01T12:00:00.000Z',
  today: { orders: 2, revenue: 10.5 },
  last7Days: { orders: 9, revenue: 99 },
  last30Days: { orders: 30, revenue: 1000 },
  byStatus: { pending: 3, shipped: 27 },
};
const alert: StockAlert = { sku: 'SKU-00025', name: 'Kettle', stock: 0, warehouse: { id: 'W1', name: 'North', location: 'Leeds' } };
const order: Order = {
  id: 'O-00300',
  customerId: 'C0001',
  partnerId: 'acme',
  items: [{ sku: 'SKU-1', quantity: 2, unitPrice: 5 }],
  total: 10,
  currency: 'EUR',
  status: 'pending',
  createdAt: '2026-03-01T11:00:00.000Z',
};

describe('toWebDashboard', () => {
  it.each([
    ['every part', [alert], [order], []],
    ['no stock alerts', undefined, [order], ['stockAlerts']],
    ['no recent orders', [alert], undefined, ['recentOrders']],
    ['neither optional part', undefined, undefined, ['stockAlerts', 'recentOrders']],
    ['empty (but present) parts', [], [], []],
  ])('with %s → missing %j', (_label, alerts, recent, missing) => {
    const dashboard = toWebDashboard(summary, alerts, recent);
    expect(dashboard.sales).toEqual({ currency: 'EUR', today: summary.today, last7Days: summary.last7Days, last30Days: summary.last30Days, byStatus: summary.byStatus });
    expect(dashboard.stockAlerts).toEqual(alerts === undefined ? null : alerts.map(() => ({ sku: 'SKU-00025', name: 'Kettle', stock: 0, warehouse: 'North' })));
    expect(dashboard.recentOrders).toEqual(
      recent === undefined ? null : recent.map(() => ({ id: 'O-00300', customerId: 'C0001', total: 10, currency: 'EUR', status: 'pending', createdAt: '2026-03-01T11:00:00.000Z', lines: 1 })),
    );
    if (missing.length === 0) {
      expect('degraded' in dashboard).toBe(false);
      expect(degradedOf(dashboard)).toBeUndefined();
    } else {
      expect(dashboard.degraded).toEqual({ reason: 'partial', missing });
      expect(degradedOf(dashboard)).toEqual({ reason: 'partial', missing });
    }
  });

  it('copies nothing it does not name, whatever the upstreams add', () => {
    const hostile = { ...summary, internalMargin: 0.4, referenceDate: 'leak-ref' } as SalesSummary;
    const hostileAlert = { ...alert, costPrice: 3, warehouse: { ...alert.warehouse, location: 'Secret Lane' } } as StockAlert;
    const hostileOrder = { ...order, partnerId: 'acme-secret', internalNotes: 'x' } as Order;
    const text = JSON.stringify(toWebDashboard(hostile, [hostileAlert], [hostileOrder]));
    expect(text).not.toMatch(/internalMargin|leak-ref|costPrice|Secret Lane|acme-secret|internalNotes|unitPrice/);
  });

  it(`shows at most ${MAX_ALERTS} alerts`, () => {
    expect(toWebDashboard(summary, Array(50).fill(alert), [])?.stockAlerts).toHaveLength(MAX_ALERTS);
  });
});
