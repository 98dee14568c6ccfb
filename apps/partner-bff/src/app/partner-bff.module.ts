import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { API_KEY_STORE_STATE, AuthModule, AuthenticationGuard } from '@frontdoor/auth';
import { BackendsModule } from '@frontdoor/backends';
import { IdempotencyModule } from '@frontdoor/idempotency';
import { ObservabilityModule } from '@frontdoor/observability';
import { upstreamReadiness } from '@frontdoor/platform';
import { RATE_LIMIT_STATE, RateLimitGuard, RateLimitModule, QuotaGuard } from '@frontdoor/rate-limit';
import { RolesGuard } from '@frontdoor/rbac';
import { DocsController } from '../docs/docs.controller';
import { OpenApiController } from '../openapi/openapi.controller';
import { OpenApiDocuments } from '../openapi/openapi.documents';
import { OrderBodyInterceptor } from '../orders/order-body.interceptor';
import { PartnerOrdersService } from '../orders/partner-orders.service';
import { PortalController } from '../portal/portal.controller';
import { UsageController } from '../usage/usage.controller';
import { V1OrdersController } from '../v1/orders/v1-orders.controller';
import { V1ProductsController } from '../v1/products/v1-products.controller';
import { V2OrdersController } from '../v2/orders/v2-orders.controller';
import { V2ProductsController } from '../v2/products/v2-products.controller';
import type { PartnerConfig } from './partner.config';
import { routeBodyLimitsProvider } from './route-body-limit';

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
        // Idempotency-Key records of the order-placing routes: in memory, or shared in Redis with REDIS_URL. A key is
        // "in progress" no longer than its first attempt can run (the sales deadline, plus a margin), so a key whose
        // instance died is free again in seconds; a duplicate waits for the first answer at most one deadline.
        IdempotencyModule.forRoot({
          app: 'partner-bff',
          redisUrl: config.redisUrl,
          pendingTtlMs: config.routeDeadlineMs + 2000,
          waitMs: config.routeDeadlineMs,
        }),
        ObservabilityModule.forRoot({ app: 'partner-bff', readiness: upstreamReadiness(['inventory', 'sales'], RATE_LIMIT_STATE, API_KEY_STORE_STATE) }),
      ],
      controllers: [
        // each version in its own folder, side by side; v1 is frozen (see the contract lock) and only added to
        V1ProductsController,
        V1OrdersController,
        V2ProductsController,
        V2OrdersController,
        UsageController,
        // public, limited per client IP
        OpenApiController,
        DocsController,
        PortalController,
      ],
      providers: [
        PartnerOrdersService,
        OpenApiDocuments,
        OrderBodyInterceptor,
        // the hook behind the order routes' @BodyLimit, installed as the module is built (before any route)
        routeBodyLimitsProvider,
        // The guards of the request pipeline (STYLE.md), declared once, here, in the order Nest runs them:
        // 2. authentication — X-API-Key → partner principal with its plan; 401 (WWW-Authenticate: ApiKey) / 503
        { provide: APP_GUARD, useExisting: AuthenticationGuard },
        // 3. rate limit — per partner across the app, from its plan; 429 + Retry-After (never consumes quota)
        { provide: APP_GUARD, useExisting: RateLimitGuard },
        // 4. roles — deny by default: a route without @Public() or @Roles(...) is 403
        { provide: APP_GUARD, useClass: RolesGuard },
        // 5. daily quota — last, so a request any earlier guard refused never counts against it
        { provide: APP_GUARD, useExisting: QuotaGuard },
        // Content negotiation and degraded answers are the platform's Fastify hooks (around every handler, no Nest
        // interceptor: docs/benchmarks.md §1); the order-placing routes add their interceptors (order body: JSON or
        // XML, depth cap → Idempotency-Key), whose answers, replays included, are negotiated like any other.
      ],
    };
  }
}
