import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ThrottlerModule, ThrottlerStorage, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { HttpMetrics, type ReadinessCheck } from '@frontdoor/observability';
import { principalOf } from '@frontdoor/rbac';
import { RedisConnection } from '@frontdoor/redis';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FailoverStorage } from './failover.storage';
import { MemoryWindowStorage } from './memory-window.storage';
import { FailoverQuotaStore, MemoryQuotaStore, RedisQuotaStore, type QuotaStore } from './quota.store';
import { QuotaGuard } from './quota.guard';
import { installQuotaRefundHook } from './quota-refund.hook';
import { QuotaService } from './quota.service';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitMetrics } from './rate-limit.metrics';
import { perSecondOf, type RateLimitSettings } from './rate-limit.settings';
import { RATE_LIMIT_SETTINGS, RATE_LIMIT_STATE, QUOTA_STORE } from './rate-limit.tokens';
import { RedisWindowStorage } from './redis-window.storage';

/** What the module built once at start: the stores and, with REDIS_URL, the connection they share. */
export class RateLimitState {
  constructor(
    readonly local: MemoryWindowStorage,
    readonly storage: ThrottlerStorage,
    readonly quotas: QuotaStore,
    readonly redis: RedisConnection | undefined,
    private readonly metrics: RateLimitMetrics,
  ) {}

  /** Readiness: `degraded` while Redis is away (limits still apply, per instance), never `down`. */
  readonly readiness: ReadinessCheck = {
    name: 'rate-limit-store',
    check: async () => {
      const degraded = this.redis !== undefined && !this.redis.ready;
      this.metrics.degraded.set(degraded ? 1 : 0);
      return degraded ? 'degraded' : 'up';
    },
  };
}

function buildState(settings: RateLimitSettings, metrics: RateLimitMetrics): RateLimitState {
  const local = new MemoryWindowStorage();
  if (!settings.redisUrl) return new RateLimitState(local, local, new MemoryQuotaStore(), undefined, metrics);
  const redis = new RedisConnection(settings.redisUrl, `${settings.app}-limits`);
  const onFallback = () => metrics.fallbacks.inc();
  const prefix = `frontdoor:${settings.app}:`;
  const storage = new FailoverStorage(redis, new RedisWindowStorage(redis, `${prefix}rl:`), local, onFallback);
  const quotas = new FailoverQuotaStore(redis, new RedisQuotaStore(redis, `${prefix}quota:`), new MemoryQuotaStore(), onFallback);
  return new RateLimitState(local, storage, quotas, redis, metrics);
}

/**
 * Traffic control at the door: per-principal rate limits (in memory, or exact across instances in Redis) and
 * partner daily quotas. The app registers `RateLimitGuard` (after authentication) and `QuotaGuard` (last) as
 * global guards, in its one declared order. At init it adds one Fastify `onResponse` hook that gives a partner's
 * count back when its answer is a 429 decided after the quota guard (installQuotaRefundHook).
 */
@Global()
@Module({})
export class RateLimitModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(RATE_LIMIT_STATE) private readonly state: RateLimitState,
    private readonly adapterHost: HttpAdapterHost,
    private readonly quotas: QuotaService,
  ) {}

  /** Once, at `app.init()` (before the server listens, so Fastify still takes hooks); no HTTP adapter: no hook. */
  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (typeof instance?.addHook === 'function') installQuotaRefundHook(instance, this.quotas);
  }

  static forRoot(settings: RateLimitSettings): DynamicModule {
    const stateProvider = {
      provide: RATE_LIMIT_STATE,
      // Start-up waits up to 1 s for Redis, so the first requests are already shared; never longer.
      useFactory: async (metrics: RateLimitMetrics) => {
        const state = buildState(settings, metrics);
        await state.redis?.waitUntilReady(1000);
        return state;
      },
      inject: [RateLimitMetrics],
    };
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRootAsync({
          useFactory: (state: RateLimitState): ThrottlerModuleOptions => ({
            storage: state.storage,
            setHeaders: false,
            throttlers: [
              {
                name: 'rate',
                ttl: 1000,
                limit: (context) => perSecondOf(settings, principalOf(context.switchToHttp().getRequest<FastifyRequest>())),
              },
            ],
          }),
          inject: [RATE_LIMIT_STATE],
        }),
      ],
      providers: [
        { provide: RATE_LIMIT_SETTINGS, useValue: settings },
        { provide: RateLimitMetrics, useFactory: (http: HttpMetrics) => new RateLimitMetrics(http.registry), inject: [HttpMetrics] },
        stateProvider,
        { provide: QUOTA_STORE, useFactory: (state: RateLimitState) => state.quotas, inject: [RATE_LIMIT_STATE] },
        RateLimitGuard,
        QuotaGuard,
        QuotaService,
      ],
      exports: [RATE_LIMIT_STATE, RateLimitGuard, QuotaGuard, QuotaService, ThrottlerModule, RATE_LIMIT_SETTINGS, RateLimitMetrics, QUOTA_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.state.local.close();
    await this.state.redis?.close();
  }
}
