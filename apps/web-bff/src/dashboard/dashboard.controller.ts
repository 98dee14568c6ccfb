import { Controller, Get, Req } from '@nestjs/common';
import { callContextOf } from '@frontdoor/platform';
import { Roles, XmlRoot } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { DashboardService } from './dashboard.service';
import type { WebDashboard } from './web-dashboard.shape';

@Controller('api/dashboard')
export class DashboardController {
  constructor(private readonly dashboards: DashboardService) {}

  /** 200 even when optional parts are missing (then `X-Degraded: partial`); fails only without the sales summary. */
  @Get()
  @Roles('admin', 'sales', 'finance')
  @XmlRoot('dashboard')
  dashboard(@Req() request: FastifyRequest): Promise<WebDashboard> {
    return this.dashboards.loadDashboard(callContextOf(request));
  }
}
