import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule, AuthenticationGuard, IDENTITY_PROVIDER_STATE } from '@frontdoor/auth';
import { BackendsModule } from '@frontdoor/backends';
import { IdempotencyModule } from '@frontdoor/idempotency';
import { ObservabilityModule } from '@frontdoor/observability';
import { upstreamReadiness } from '@frontdoor/platform';
import { RATE_LIMIT_STATE, RateLimitGuard, RateLimitModule } from '@frontdoor/rate-limit';
import { RolesGuard, USER_ROLES } from '@frontdoor/rbac';
import { PassThroughModule } from '@frontdoor/routing';
import { DashboardController } from '../dashboard/dashboard.controller';
import { DashboardService } from '../dashboard/dashboard.service';
import { EmployeesController } from '../employees/employees.controller';
import { EmployeesService } from '../employees/employees.service';
import { WEB_PASS_THROUGH_ROUTES } from '../pass-through/web.routes';
import { ProductsController } from '../products/products.controller';
import { ProductsService } from '../products/products.service';
import { ROUTE_BUDGET_MS } from './web.tokens';
import type { WebConfig } from './web.config';

/** The web BFF: rich answers for the browser dashboard. */
@Module({})
export class WebBffModule {
  static forRoot(config: WebConfig): DynamicModule {
    // the longest a first attempt of an Idempotency-Key row can run: the route deadline, or the row's own if longer
    const idempotentDeadlineMs = Math.max(
      config.routeDeadlineMs,
      ...WEB_PASS_THROUGH_ROUTES.filter((row) => row.idempotencyKey !== undefined).map((row) => row.timeoutMs ?? 0),
    );
    return {
      module: WebBffModule,
      imports: [
        AuthModule.forUsers('web-bff', config),
        BackendsModule.forRoot(config),
        RateLimitModule.forRoot({ app: 'web-bff', ...config }),
        // Idempotency-Key records of the pass-through rows that declare idempotencyKey (POST /api/sales/orders), as in
        // partner-bff: in memory, or shared in Redis with REDIS_URL. A key stays "in progress" no longer than its first
        // attempt can run, plus a margin; a duplicate waits for the first answer at most that deadline.
        IdempotencyModule.forRoot({
          app: 'web-bff',
          redisUrl: config.redisUrl,
          pendingTtlMs: idempotentDeadlineMs + 2000,
          waitMs: idempotentDeadlineMs,
        }),
        ObservabilityModule.forRoot({
          app: 'web-bff',
          readiness: upstreamReadiness(['inventory', 'hr', 'payroll', 'sales'], RATE_LIMIT_STATE, IDENTITY_PROVIDER_STATE),
        }),
        // /api/inventory/*, /api/sales/*, /api/hr/*, /api/payroll/*: checked at start, served through these same guards
        PassThroughModule.forRoot({ app: 'web-bff', name: 'WebPassThroughController', routes: WEB_PASS_THROUGH_ROUTES, roles: USER_ROLES, cache: config }),
      ],
      controllers: [ProductsController, EmployeesController, DashboardController],
      providers: [
        { provide: ROUTE_BUDGET_MS, useValue: config.routeDeadlineMs },
        ProductsService,
        EmployeesService,
        DashboardService,
        // The guards of the request pipeline (STYLE.md), declared once, here, in the order Nest runs them:
        // 2. authentication — bearer JWT → principal; 401 (WWW-Authenticate: Bearer) / 503 when the IdP is down
        { provide: APP_GUARD, useExisting: AuthenticationGuard },
        // 3. rate limit — per token subject across the app (client IP on public routes); 429 + Retry-After
        { provide: APP_GUARD, useExisting: RateLimitGuard },
        // 4. roles — deny by default: a route without @Public() or @Roles(...) is 403
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
    };
  }
}
