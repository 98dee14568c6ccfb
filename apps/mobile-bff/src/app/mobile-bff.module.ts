import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule, AuthenticationGuard } from '@frontdoor/auth';
import { BackendsModule } from '@frontdoor/backends';
import { ObservabilityModule } from '@frontdoor/observability';
import { upstreamReadiness } from '@frontdoor/platform';
import { RATE_LIMIT_STATE, RateLimitGuard, RateLimitModule } from '@frontdoor/rate-limit';
import { RolesGuard } from '@frontdoor/rbac';
import { ProductsController } from '../products/products.controller';
import type { MobileConfig } from './mobile.config';

/** The mobile BFF: trimmed answers for a phone on a slow link. */
@Module({})
export class MobileBffModule {
  static forRoot(config: MobileConfig): DynamicModule {
    return {
      module: MobileBffModule,
      imports: [
        AuthModule.forUsers('mobile-bff', config),
        BackendsModule.forRoot(config),
        RateLimitModule.forRoot({ app: 'mobile-bff', ...config }),
        ObservabilityModule.forRoot({ app: 'mobile-bff', readiness: upstreamReadiness(['inventory', 'sales'], RATE_LIMIT_STATE) }),
      ],
      controllers: [ProductsController],
      providers: [
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
