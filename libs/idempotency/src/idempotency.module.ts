import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { HttpMetrics } from '@frontdoor/observability';
import { RedisConnection } from '@frontdoor/redis';
import { IDEMPOTENCY_SETTINGS, IDEMPOTENCY_STORE, IdempotencyInterceptor, type IdempotencySettings } from './idempotency.interceptor';
import { MemoryIdempotencyStore, RedisIdempotencyStore, type IdempotencyStore, type MemoryIdempotencyLimits } from './idempotency.store';

export interface IdempotencyModuleOptions extends Partial<IdempotencySettings> {
  readonly app: string;
  /** Shared records across instances when set; in-process otherwise. */
  readonly redisUrl?: URL;
  /** Without `redisUrl`: bounds of the in-process records (default 100,000 live records, 10,000 per owner). */
  readonly memory?: MemoryIdempotencyLimits;
}

interface Built {
  readonly store: IdempotencyStore;
  close(): Promise<void>;
}

const BUILT = Symbol('IDEMPOTENCY_BUILT');
const RECORDS_GAUGE = Symbol('IDEMPOTENCY_RECORDS_GAUGE');

async function build(options: IdempotencyModuleOptions): Promise<Built> {
  if (!options.redisUrl) {
    const memory = new MemoryIdempotencyStore(options.memory);
    return { store: memory, close: async () => memory.close() };
  }
  const redis = new RedisConnection(options.redisUrl, `${options.app}-idempotency`);
  await redis.waitUntilReady(1000);
  return { store: new RedisIdempotencyStore(redis, `frontdoor:${options.app}:idem:`), close: () => redis.close() };
}

/** `@Idempotent()` routes with the `IdempotencyInterceptor`: records in memory, or in Redis with REDIS_URL. */
@Global()
@Module({})
export class IdempotencyModule implements OnApplicationShutdown {
  constructor(@Inject(BUILT) private readonly built: Built) {}

  static forRoot(options: IdempotencyModuleOptions): DynamicModule {
    const settings: IdempotencySettings = {
      ttlMs: options.ttlMs ?? 86_400_000,
      pendingTtlMs: options.pendingTtlMs ?? 10_000,
      waitMs: options.waitMs ?? 5_000,
    };
    return {
      module: IdempotencyModule,
      providers: [
        { provide: BUILT, useFactory: () => build(options) },
        { provide: IDEMPOTENCY_STORE, useFactory: (built: Built) => built.store, inject: [BUILT] },
        {
          // the in-process records, read at scrape time (records in Redis are not counted: no gauge then)
          provide: RECORDS_GAUGE,
          useFactory: (built: Built, metrics?: HttpMetrics) => {
            const { store } = built;
            if (metrics && store instanceof MemoryIdempotencyStore) metrics.watchIdempotencyRecords(() => store.records);
            return true;
          },
          inject: [BUILT, { token: HttpMetrics, optional: true }],
        },
        { provide: IDEMPOTENCY_SETTINGS, useValue: settings },
        IdempotencyInterceptor,
      ],
      exports: [IdempotencyInterceptor, IDEMPOTENCY_STORE, IDEMPOTENCY_SETTINGS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.built.close();
  }
}
