import { Controller, Get, Header, Req } from '@nestjs/common';
import { callContextOf } from '@frontdoor/platform';
import { Roles, XmlRoot } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { DashboardService } from './dashboard.service';
import type { WebDashboard } from './web-dashboard.shape';

@Controller('api/dashboard')
export class DashboardController {
  constructor(private readonly dashboards: DashboardService) {}

  /**
   * 200 even when optional parts are missing (then `X-Degraded: partial`); fails only without the sales summary.
   * `no-store`: sales figures and recent orders (customer ids, totals) shown to a signed-in user are kept by no
   * cache, shared or the browser's, so none outlives the session or reaches another user of the same machine.
   */
  @Get()
  @Roles('admin', 'sales', 'finance')
  @Header('Cache-Control', 'no-store')
  @XmlRoot('dashboard')
  dashboard(@Req() request: FastifyRequest): Promise<WebDashboard> {
    return this.dashboards.loadDashboard(callContextOf(request));
  }
}
