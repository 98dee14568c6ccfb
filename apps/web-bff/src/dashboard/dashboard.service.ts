import { Inject, Injectable, Logger } from '@nestjs/common';
import { gather, optional, required } from '@frontdoor/aggregation';
import { InventoryClient, SalesClient, withDeadline, type CallContext } from '@frontdoor/backends';
import { isUpstreamAbortedError } from '@frontdoor/upstream';
import { ROUTE_BUDGET_MS } from '../app/web.tokens';
import { toWebDashboard, type WebDashboard } from './web-dashboard.shape';

/** Recent orders on the dashboard. */
export const RECENT_ORDERS = 10;

/**
 * The dashboard in one call: the sales summary (required: without it there is no dashboard), stock alerts and
 * recent orders (optional: each gets 85% of the route budget and, when it fails, is left out and named in
 * `degraded.missing`). The three calls run at once, so the answer takes about as long as the slowest one.
 */
@Injectable()
export class DashboardService {
  private readonly logger = new Logger(DashboardService.name);

  constructor(
    private readonly sales: SalesClient,
    private readonly inventory: InventoryClient,
    @Inject(ROUTE_BUDGET_MS) private readonly budgetMs: number,
  ) {}

  /** @throws the sales summary's own error (502/503/504/…) when it fails */
  async loadDashboard(ctx: CallContext): Promise<WebDashboard> {
    const { values, failures } = await gather(
      {
        summary: required(({ deadlineMs }) => this.sales.summary(withDeadline(ctx, deadlineMs))),
        stockAlerts: optional(({ deadlineMs }) => this.inventory.stockAlerts(withDeadline(ctx, deadlineMs))),
        recentOrders: optional(({ deadlineMs }) => this.sales.recentOrders(RECENT_ORDERS, withDeadline(ctx, deadlineMs))),
      },
      { budgetMs: this.budgetMs },
    );
    for (const [part, error] of Object.entries(failures)) {
      // a part cancelled because the client went away is no upstream's failure: the request's 499 line says it
      if (!isUpstreamAbortedError(error)) this.logger.warn(`dashboard part ${part} left out: ${(error as Error).message}`);
    }
    return toWebDashboard(values.summary, values.stockAlerts, values.recentOrders);
  }
}
