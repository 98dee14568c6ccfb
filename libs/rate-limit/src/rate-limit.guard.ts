import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ThrottlerGuard,
  ThrottlerStorage,
  getOptionsToken,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
} from '@nestjs/throttler';
import { ProblemError } from '@frontdoor/errors';
import { NO_RATE_LIMIT_KEY, PerRoute, principalOf } from '@frontdoor/rbac';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitMetrics } from './rate-limit.metrics';
import { trackerOf } from './tracker';

/** The throttler's route-level override key (`@Throttle({ rate: … })`): such a route gets its own bucket. */
const ROUTE_LIMIT_KEY = 'THROTTLER:LIMITrate';

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

  // skip: @NoRateLimit(); ownBucket: a route-level @Throttle, counted in a bucket of its own
  private readonly routes = new PerRoute((handler, controller) => ({
    skip: this.reflector.getAllAndOverride<boolean>(NO_RATE_LIMIT_KEY, [handler, controller]) === true,
    ownBucket: this.reflector.getAllAndOverride(ROUTE_LIMIT_KEY, [handler, controller]) !== undefined,
  }));

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return this.routes.of(context).skip;
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
