import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ThrottlerGuard,
  ThrottlerStorage,
  getOptionsToken,
  type ThrottlerGenerateKeyFunction,
  type ThrottlerGetTrackerFunction,
  type ThrottlerModuleOptions,
  type ThrottlerOptions,
  type ThrottlerRequest,
} from '@nestjs/throttler';
import { ProblemError } from '@frontdoor/errors';
import { NO_RATE_LIMIT_KEY, PerRoute, principalOf } from '@frontdoor/rbac';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitMetrics } from './rate-limit.metrics';
import { trackerOf } from './tracker';

// @nestjs/throttler's metadata keys (throttler.constants, not exported by the package), suffixed by throttler name
const THROTTLER_SKIP = 'THROTTLER:SKIP';
const THROTTLER_LIMIT = 'THROTTLER:LIMIT';
const THROTTLER_TTL = 'THROTTLER:TTL';
const THROTTLER_BLOCK_DURATION = 'THROTTLER:BLOCK_DURATION';
const THROTTLER_TRACKER = 'THROTTLER:TRACKER';
const THROTTLER_KEY_GENERATOR = 'THROTTLER:KEY_GENERATOR';
/** The throttler's route-level override key (`@Throttle({ rate: … })`): such a route gets its own bucket. */
const ROUTE_LIMIT_KEY = `${THROTTLER_LIMIT}rate`;

type Resolvable = ThrottlerOptions['limit'];

/** One named throttler as it applies to one route: its metadata read once (see `canActivate`). */
interface RouteThrottler {
  readonly throttler: ThrottlerOptions;
  readonly skip: boolean;
  readonly skipIf: ThrottlerOptions['skipIf'];
  readonly limit: Resolvable;
  readonly ttl: Resolvable;
  readonly blockDuration: Resolvable | undefined;
  readonly getTracker: ThrottlerGetTrackerFunction;
  readonly generateKey: ThrottlerGenerateKeyFunction;
}

/** The throttler's own `toNumber`: a number, or a numeric string; anything else is a configuration error. */
function toNumber(value: unknown, option: string, name: string | undefined): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || Number.isNaN(number)) {
    throw new Error(`Invalid "${option}" for the "${name}" throttler: expected a number, got ${JSON.stringify(value)}.`);
  }
  return number;
}

function resolve(value: Resolvable, context: ExecutionContext): number | Promise<number> {
  return typeof value === 'function' ? value(context) : value;
}

/**
 * @nestjs/throttler with our tracker (partner / subject / IP), app-wide buckets (one per principal, not one per
 * handler: PITFALLS §1.2), IETF `RateLimit-*` headers on every limited answer, and a 429 problem with a standard
 * `Retry-After` whatever the throttler's name (PITFALLS §1.3). Runs after authentication (pipeline step 3), so
 * the principal is known; routes marked `@NoRateLimit()` (health, metrics) are skipped.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @Inject(getOptionsToken()) options: ThrottlerModuleOptions,
    @Inject(ThrottlerStorage) storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly metrics: RateLimitMetrics,
  ) {
    super(options, storage, reflector);
  }

  // skip: @NoRateLimit(); ownBucket: a route-level @Throttle, counted in a bucket of its own; throttlers: each named
  // throttler with the route's decorators applied
  private readonly routes = new PerRoute((handler, controller) => {
    const meta = <T>(key: string): T | undefined => this.reflector.getAllAndOverride<T>(key, [handler, controller]);
    return {
      skip: meta<boolean>(NO_RATE_LIMIT_KEY) === true,
      ownBucket: meta(ROUTE_LIMIT_KEY) !== undefined,
      throttlers: this.throttlers.map(
        (throttler): RouteThrottler => ({
          throttler,
          skip: Boolean(meta(THROTTLER_SKIP + throttler.name)),
          skipIf: throttler.skipIf ?? this.commonOptions.skipIf,
          limit: meta<Resolvable>(THROTTLER_LIMIT + throttler.name) ?? throttler.limit,
          ttl: meta<Resolvable>(THROTTLER_TTL + throttler.name) ?? throttler.ttl,
          blockDuration: meta<Resolvable>(THROTTLER_BLOCK_DURATION + throttler.name) ?? throttler.blockDuration,
          getTracker: (meta<ThrottlerGetTrackerFunction>(THROTTLER_TRACKER + throttler.name) ??
            throttler.getTracker ??
            this.commonOptions.getTracker) as ThrottlerGetTrackerFunction,
          generateKey: (meta<ThrottlerGenerateKeyFunction>(THROTTLER_KEY_GENERATOR + throttler.name) ??
            throttler.generateKey ??
            this.commonOptions.generateKey) as ThrottlerGenerateKeyFunction,
        }),
      ),
    };
  });

  /**
   * @nestjs/throttler's `canActivate` (6.x) with each route's metadata read once: the library reads six reflector
   * keys per throttler on every request and awaits each value (3.7 KB allocated per request, the largest single site
   * of a pass-through request in the heap profile; docs/benchmarks.md). Same order and semantics: route skip, then per
   * throttler `@SkipThrottle`/`skipIf`, limit/ttl/blockDuration resolved per request when they are functions (ours:
   * the limit depends on the principal), blockDuration defaulting to ttl, then `handleRequest`.
   */
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.routes.of(context);
    if (route.skip) return true;
    let allowed = true;
    for (const t of route.throttlers) {
      if (t.skip || t.skipIf?.(context)) continue;
      const name = t.throttler.name;
      // awaited only when a promise: awaiting a plain number still costs a suspension and its garbage
      const rawLimit = resolve(t.limit, context);
      const limit = toNumber(rawLimit instanceof Promise ? await rawLimit : rawLimit, 'limit', name);
      const rawTtl = resolve(t.ttl, context);
      const ttl = toNumber(rawTtl instanceof Promise ? await rawTtl : rawTtl, 'ttl', name);
      const rawBlock = t.blockDuration === undefined ? ttl : resolve(t.blockDuration, context);
      const blockDuration = toNumber(rawBlock instanceof Promise ? await rawBlock : rawBlock, 'blockDuration', name);
      const props = { context, limit, ttl, throttler: t.throttler, blockDuration, getTracker: t.getTracker, generateKey: t.generateKey };
      allowed = (await this.handleRequest(props)) && allowed;
    }
    return allowed;
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const req = request as unknown as FastifyRequest;
    return trackerOf(principalOf(req), req.ip);
  }

  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    return this.routes.of(context).ownBucket ? `${name}:${context.getClass().name}.${context.getHandler().name}:${tracker}` : `${name}:${tracker}`;
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, throttler, blockDuration, getTracker, generateKey } = props;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const tracker = await getTracker(request as unknown as Record<string, unknown>, context);
    const key = generateKey(context, tracker, throttler.name ?? 'rate');
    const record = await this.storageService.increment(key, ttl, limit, blockDuration, throttler.name ?? 'rate');
    reply.header('RateLimit-Limit', String(limit));
    reply.header('RateLimit-Remaining', String(Math.max(0, limit - record.totalHits)));
    reply.header('RateLimit-Reset', String(record.timeToExpire));
    if (record.isBlocked) {
      this.metrics.rejections.inc({ kind: 'rate' });
      throw new ProblemError('rate-limited', `Too many requests: the limit is ${limit} per ${ttl / 1000} s. Retry after the time given.`, {
        headers: { 'Retry-After': String(Math.max(1, record.timeToBlockExpire)) },
      });
    }
    return true;
  }
}
