import { Inject, Module, type DynamicModule, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { UPSTREAM_NAMES } from '@frontdoor/config';
import { IDEMPOTENCY_STORE } from '@frontdoor/idempotency';
import { HttpMetrics } from '@frontdoor/observability';
import { RedisConnection } from '@frontdoor/redis';
import {
  MemoryCacheStore,
  RedisCacheStore,
  ResponseCache,
  TieredCacheStore,
  UpstreamRegistry,
  type ResponseCacheStore,
} from '@frontdoor/upstream';
import { compileRoute } from './compiled-route';
import { passThroughController } from './pass-through.controller';
import { PassThroughHandler } from './pass-through.handler';
import type { PassThroughRoute } from './pass-through.route';
import { checkRouteTable } from './route-table.check';
import { RouteTableError } from './route-table.errors';

/** The cache part of the config (see `upstreamSchema`/`storeSchema` in @frontdoor/config). */
export interface ResponseCacheSettings {
  readonly cacheMaxEntries: number;
  readonly cacheMaxBytes: number;
  readonly cacheStaleMaxS: number;
  /** When set, cached answers are shared through Redis (memory stays in front and takes over when Redis fails). */
  readonly redisUrl?: URL;
}

export interface PassThroughOptions {
  /** The app (`web-bff`): names its Redis connection, `<app>-cache`, as the app's other connections are named. */
  readonly app: string;
  /** Names the generated controller (logs, Nest's route map), e.g. `WebPassThroughController`. */
  readonly name: string;
  readonly routes: readonly PassThroughRoute[];
  /** The roles that exist in the app (a row naming another is refused at start). */
  readonly roles: readonly string[];
  readonly cache: ResponseCacheSettings;
}

const RESPONSE_CACHE = Symbol('ResponseCache');

export class CacheResources {
  constructor(
    readonly cache: ResponseCache,
    readonly redis: RedisConnection | undefined,
    /** The in-process tier (the whole cache without Redis), read by the `response_cache_*` gauges at scrape time. */
    readonly memory?: MemoryCacheStore,
  ) {}

  async close(): Promise<void> {
    await this.cache.close();
    await this.redis?.close();
  }
}

/**
 * Memory LRU, with Redis behind it when REDIS_URL is set (fail-fast client: a dead Redis is a miss, never a hang),
 * on a connection named `<app>-cache` (`frontdoor-<app>-cache` in Redis's CLIENT LIST, and in the connection's log lines).
 */
export function createResponseCache(settings: ResponseCacheSettings, app: string): CacheResources {
  const memory = new MemoryCacheStore(settings.cacheMaxEntries, settings.cacheMaxBytes);
  let store: ResponseCacheStore = memory;
  let redis: RedisConnection | undefined;
  if (settings.redisUrl !== undefined) {
    redis = new RedisConnection(settings.redisUrl, `${app}-cache`);
    const connection = redis;
    store = new TieredCacheStore(memory, new RedisCacheStore(connection.client, { isReady: () => connection.ready }));
  }
  return new CacheResources(new ResponseCache(store, settings.cacheStaleMaxS), redis, memory);
}

/**
 * Serves an app's pass-through route table through the Nest pipeline. The table is checked when the module is
 * built (a bad row stops the app at start with a `RouteTableError` naming it); rows are compiled once against the
 * app's `UpstreamRegistry` (from BackendsModule); the response cache is built once and closed at shutdown. Rows with
 * `idempotencyKey` use the records of the app's `IdempotencyModule.forRoot`: without it the app stops at start with
 * a `RouteTableError` naming the row (checked by a provider, which Nest builds before the rows' interceptors).
 * @throws RouteTableError for a bad table
 */
@Module({})
export class PassThroughModule implements OnApplicationShutdown {
  constructor(@Inject(RESPONSE_CACHE) private readonly resources: CacheResources) {}

  static forRoot(options: PassThroughOptions): DynamicModule {
    checkRouteTable(options.routes, { upstreams: UPSTREAM_NAMES, roles: options.roles });
    const handlerToken = Symbol(`${options.name}.handler`);
    return {
      module: PassThroughModule,
      controllers: [passThroughController(options.name, options.routes, handlerToken)],
      providers: [
        { provide: RESPONSE_CACHE, useFactory: () => createResponseCache(options.cache, options.app) },
        ...idempotencyCheck(options.routes),
        {
          provide: handlerToken,
          useFactory: (registry: UpstreamRegistry, resources: CacheResources, metrics?: HttpMetrics) => {
            const { memory } = resources;
            if (memory) metrics?.watchResponseCache(() => ({ entries: memory.size, bytes: memory.bodyBytes }));
            return new PassThroughHandler(options.routes.map((route) => compileRoute(route, registry)), resources.cache, metrics);
          },
          inject: [UpstreamRegistry, RESPONSE_CACHE, { token: HttpMetrics, optional: true }],
        },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.resources.close();
  }
}

/** For a table with `idempotencyKey` rows: a provider that refuses to start without the app's idempotency records. */
function idempotencyCheck(routes: readonly PassThroughRoute[]): Provider[] {
  const row = routes.find((route) => route.idempotencyKey !== undefined);
  if (row === undefined) return [];
  return [
    {
      provide: Symbol('idempotency records for pass-through rows'),
      useFactory: (store?: unknown) => {
        if (store !== undefined) return true;
        throw new RouteTableError(`${row.method} ${row.path}`, 'idempotency-not-imported', 'idempotencyKey needs the app to import IdempotencyModule.forRoot');
      },
      inject: [{ token: IDEMPOTENCY_STORE, optional: true }],
    },
  ];
}
