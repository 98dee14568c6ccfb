import {
  Controller,
  Get,
  Injectable,
  Module,
  Req,
  type CanActivate,
  type DynamicModule,
  type ExecutionContext,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Throttle } from '@nestjs/throttler';
import type { Cidr } from '@frontdoor/config';
import { ProblemError } from '@frontdoor/errors';
import { ObservabilityModule } from '@frontdoor/observability';
import { createBffApp, type BffApp } from '@frontdoor/platform';
import { Public, principalOf, type Principal } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { QuotaGuard } from './quota.guard';
import { QuotaService, type PartnerUsage } from './quota.service';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitModule, type RateLimitState } from './rate-limit.module';
import type { RateLimitSettings } from './rate-limit.settings';
import { RATE_LIMIT_STATE } from './rate-limit.tokens';

/**
 * Test-only wiring (imported by specs): a stand-in for the authentication guard that takes the principal from an
 * `x-test-principal: kind:id[:plan]` header, then the real rate-limit and quota guards in pipeline order.
 */
@Injectable()
class HeaderPrincipalGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const header = request.headers['x-test-principal'];
    if (typeof header === 'string') {
      const [kind, id, plan] = header.split(':');
      request.principal = { kind: kind as Principal['kind'], id: id ?? '', roles: [], plan };
    }
    return true;
  }
}

@Public()
@Controller('t')
class TrafficController {
  constructor(private readonly quotas: QuotaService) {}

  @Get('a')
  a(): { route: string } {
    return { route: 'a' };
  }

  @Get('b')
  b(): { route: string } {
    return { route: 'b' };
  }

  @Throttle({ rate: { limit: 2, ttl: 1000 } })
  @Get('tight')
  tight(): { route: string } {
    return { route: 'tight' };
  }

  /** A 429 decided after the guards (as the idempotency interceptor's per-owner bound is). */
  @Get('busy')
  busy(): never {
    throw new ProblemError('rate-limited', 'Too many of your things are live; retry later.', {
      headers: { 'Retry-After': '7' },
    });
  }

  @Get('usage')
  usage(@Req() request: FastifyRequest): Promise<PartnerUsage> {
    return this.quotas.usage(principalOf(request));
  }
}

@Module({})
class TrafficTestModule {
  static forRoot(settings: RateLimitSettings): DynamicModule {
    return {
      module: TrafficTestModule,
      imports: [
        ObservabilityModule.forRoot({
          app: settings.app,
          readiness: { useFactory: (state: RateLimitState) => [state.readiness], inject: [RATE_LIMIT_STATE] },
        }),
        RateLimitModule.forRoot(settings),
      ],
      controllers: [TrafficController],
      providers: [
        { provide: APP_GUARD, useClass: HeaderPrincipalGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: QuotaGuard },
      ],
    };
  }
}

export async function startTrafficApp(
  settings: RateLimitSettings,
  trustProxy: readonly Cidr[] = [],
): Promise<{ app: BffApp; base: string }> {
  const app = await createBffApp(TrafficTestModule.forRoot(settings), {
    app: settings.app,
    server: { logLevel: 'silent', trustProxy, ipAllow: [], ipDeny: [], bodyLimitBytes: 1024 },
  });
  await app.nest.listen(0, '127.0.0.1');
  return { app, base: await app.nest.getUrl() };
}
