import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { degradedOf } from '@frontdoor/aggregation';
import type { FastifyReply } from 'fastify';
import { tap, type Observable } from 'rxjs';

/**
 * Step 5, inside content negotiation: a degraded answer (marked with `asDegraded` by an aggregation or by the
 * stale-if-error cache) is still a 200, and says so: `X-Degraded: partial|stale` and `Cache-Control: no-store`
 * (a degraded answer must never be cached downstream). The body field `degraded` is set by `asDegraded` itself.
 */
@Injectable()
export class DegradedInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(tap((body) => markReply(reply, body)));
  }
}

function markReply(reply: FastifyReply, body: unknown): void {
  const degraded = degradedOf(body);
  if (degraded === undefined) return;
  reply.header('x-degraded', degraded.reason);
  reply.header('cache-control', 'no-store');
}
