import { Logger } from '@nestjs/common';
import { degradedOf } from '@frontdoor/aggregation';
import type { InventoryClient, SalesClient, SalesSummary } from '@frontdoor/backends';
import { UpstreamError } from '@frontdoor/errors';
import { UpstreamAbortedError } from '@frontdoor/upstream';
import { DashboardService } from './dashboard.service';

const period = { orders: 1, revenue: 10 };
const summary = { currency: 'EUR', today: period, last7Days: period, last30Days: period, byStatus: {} } as unknown as SalesSummary;

/** The dashboard over fakes of its two clients: the summary answers, stock alerts and recent orders as given. */
function dashboard(alerts: () => Promise<unknown>, recent: () => Promise<unknown>): DashboardService {
  return new DashboardService(
    { summary: () => Promise.resolve(summary), recentOrders: recent } as unknown as SalesClient,
    { stockAlerts: alerts } as unknown as InventoryClient,
    1000,
  );
}

describe('DashboardService (summary required, alerts and recent orders optional)', () => {
  let warnings: jest.SpyInstance;
  beforeEach(() => {
    warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warnings.mockRestore());

  it('leaves out a failed part with a warning naming it and its upstream', async () => {
    const screen = await dashboard(() => Promise.reject(new UpstreamError('inventory', 'unavailable', 'inventory is unavailable')), () => Promise.resolve([]))
      .loadDashboard({ headers: {} });
    expect(degradedOf(screen)).toEqual({ reason: 'partial', missing: ['stockAlerts'] });
    expect(warnings.mock.calls.map(([message]) => String(message))).toEqual(['dashboard part stockAlerts left out: inventory is unavailable']);
  });

  it('logs no warning for parts cancelled because the client went away (its 499 access line says so)', async () => {
    const gone = () => Promise.reject(new UpstreamAbortedError('sales', new Error('the client went away')));
    const screen = await dashboard(gone, gone).loadDashboard({ headers: {} });
    expect(degradedOf(screen)).toEqual({ reason: 'partial', missing: ['stockAlerts', 'recentOrders'] });
    expect(warnings).not.toHaveBeenCalled();
  });
});
