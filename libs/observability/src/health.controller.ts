import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { NoRateLimit, Produces, Public } from '@frontdoor/rbac';
import { HttpMetrics } from './http-metrics';
import { Lifecycle } from './lifecycle';
import { READINESS_CHECKS, readinessOf, type Readiness, type ReadinessCheck } from './readiness';
import { sharedFor } from './shared-for';

/** How long one evaluation of the checks answers every readiness request, ms (see `HealthController`). */
export const READINESS_TTL_MS = 1000;

/**
 * Liveness, readiness and metrics. Bodies name dependencies logically ("payroll"), never by host, and carry no
 * error text. Readiness asks every dependency concurrently, each bounded by its own short timeout, and decides
 * with `readinessOf`. One evaluation answers every readiness request for `READINESS_TTL_MS` (and concurrent
 * requests share the one in flight): the route is public and not rate limited, and each evaluation probes every
 * instance of every upstream, so without it anyone could make the gateway send its backends N probes per request.
 * A probe every few seconds (Kubernetes' default period is 10 s) is served fresh.
 */
@Public()
@NoRateLimit()
@Controller()
export class HealthController {
  private readonly readiness = sharedFor(READINESS_TTL_MS, () => this.evaluate());

  constructor(
    private readonly metrics: HttpMetrics,
    private readonly lifecycle: Lifecycle,
    @Inject(READINESS_CHECKS) private readonly checks: readonly ReadinessCheck[],
  ) {}

  @Get('health/live')
  @Header('Cache-Control', 'no-store')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @Header('Cache-Control', 'no-store')
  async ready(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: string; checks: Record<string, string> }> {
    if (this.lifecycle.draining) {
      reply.status(503);
      return { status: 'draining', checks: {} };
    }
    const readiness = await this.readiness();
    reply.status(readiness.status === 'not-ready' ? 503 : 200);
    return readiness;
  }

  private async evaluate(): Promise<Readiness> {
    const results = await Promise.all(
      this.checks.map(async (c) => [c, await c.check().catch(() => 'down' as const)] as const),
    );
    return readinessOf(results);
  }

  /** One rendering answers every scrape for a second, like readiness (see `HttpMetrics.scrape`). */
  @Get('metrics')
  @Produces('text/plain')
  @Header('Cache-Control', 'no-store')
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const { body, contentType } = await this.metrics.scrape();
    reply.header('Content-Type', contentType);
    return body;
  }
}
