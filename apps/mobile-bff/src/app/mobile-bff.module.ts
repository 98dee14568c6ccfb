import { randomBytes } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule, AuthenticationGuard, IDENTITY_PROVIDER_STATE } from '@frontdoor/auth';
import { BackendsModule } from '@frontdoor/backends';
import { ObservabilityModule } from '@frontdoor/observability';
import { upstreamReadiness } from '@frontdoor/platform';
import { RATE_LIMIT_STATE, RateLimitGuard, RateLimitModule } from '@frontdoor/rate-limit';
import { RolesGuard } from '@frontdoor/rbac';
import { HomeController } from '../home/home.controller';
import { HomeService } from '../home/home.service';
import { pageCursors } from '../products/page-cursor';
import { ProductsController } from '../products/products.controller';
import { ProductsService } from '../products/products.service';
import type { MobileConfig } from './mobile.config';
import { PAGE_CURSORS, ROUTE_BUDGET_MS } from './mobile.tokens';

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
        ObservabilityModule.forRoot({
          app: 'mobile-bff',
          readiness: upstreamReadiness(['inventory', 'sales'], RATE_LIMIT_STATE, IDENTITY_PROVIDER_STATE),
        }),
      ],
      controllers: [ProductsController, HomeController],
      providers: [
        { provide: ROUTE_BUDGET_MS, useValue: config.routeDeadlineMs },
        // keyed once: MOBILE_CURSOR_SECRET (shared by every instance), else a random key for this process only
        { provide: PAGE_CURSORS, useValue: pageCursors(config.mobileCursorSecret ?? randomBytes(32), 'products') },
        ProductsService,
        HomeService,
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
