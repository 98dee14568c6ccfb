import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule, AuthenticationGuard } from '@frontdoor/auth';
import { BackendsModule } from '@frontdoor/backends';
import { ObservabilityModule } from '@frontdoor/observability';
import { upstreamReadiness } from '@frontdoor/platform';
import { RATE_LIMIT_STATE, RateLimitGuard, RateLimitModule, QuotaGuard } from '@frontdoor/rate-limit';
import { RolesGuard } from '@frontdoor/rbac';
import { V1OrdersController } from '../v1/orders/v1-orders.controller';
import { V1OrdersService } from '../v1/orders/v1-orders.service';
import { PortalController } from '../portal/portal.controller';
import { UsageController } from '../usage/usage.controller';
import { V1ProductsController } from '../v1/products/v1-products.controller';
import type { PartnerConfig } from './partner.config';

/** The partner BFF: a slim, versioned API for third-party systems. */
@Module({})
export class PartnerBffModule {
  static forRoot(config: PartnerConfig): DynamicModule {
    return {
      module: PartnerBffModule,
      imports: [
        AuthModule.forPartners('partner-bff', config),
        BackendsModule.forRoot(config),
        RateLimitModule.forRoot({ app: 'partner-bff', ...config }),
        ObservabilityModule.forRoot({ app: 'partner-bff', readiness: upstreamReadiness(['inventory', 'sales'], RATE_LIMIT_STATE) }),
      ],
      controllers: [V1ProductsController, V1OrdersController, UsageController, PortalController],
      providers: [
        V1OrdersService,
        // The guards of the request pipeline (STYLE.md), declared once, here, in the order Nest runs them:
        // 2. authentication — X-API-Key → partner principal with its plan; 401 (WWW-Authenticate: ApiKey) / 503
        { provide: APP_GUARD, useExisting: AuthenticationGuard },
        // 3. rate limit — per partner across the app, from its plan; 429 + Retry-After (never consumes quota)
        { provide: APP_GUARD, useExisting: RateLimitGuard },
        // 4. roles — deny by default: a route without @Public() or @Roles(...) is 403
        { provide: APP_GUARD, useClass: RolesGuard },
        // 5. daily quota — last, so a request any earlier guard refused never counts against it
        { provide: APP_GUARD, useExisting: QuotaGuard },
      ],
    };
  }
}
