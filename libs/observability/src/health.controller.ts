import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { NoRateLimit, Produces, Public } from '@frontdoor/rbac';
import { HttpMetrics } from './http-metrics';
import { Lifecycle } from './lifecycle';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness';

/**
 * Liveness, readiness and metrics. Bodies name dependencies logically ("payroll"), never by host, and carry no
 * error text. Readiness asks every dependency concurrently, each bounded by its own short timeout.
 */
@Public()
@NoRateLimit()
@Controller()
export class HealthController {
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
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ status: string; checks: Record<string, string> }> {
    if (this.lifecycle.draining) {
      reply.status(503);
      return { status: 'draining', checks: {} };
    }
    const results = await Promise.all(this.checks.map(async (c) => [c.name, await c.check().catch(() => 'down' as const)] as const));
    const checks = Object.fromEntries(results);
    const ready = results.every(([, state]) => state !== 'down');
    reply.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not-ready', checks };
  }

  @Get('metrics')
  @Produces('text/plain')
  @Header('Cache-Control', 'no-store')
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.header('Content-Type', this.metrics.contentType);
    return this.metrics.text();
  }
}
