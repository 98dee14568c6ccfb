import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemError } from '@frontdoor/errors';
import { isNotAcceptable } from '@frontdoor/platform';
import { NO_RATE_LIMIT_KEY, PerRoute, principalOf } from '@frontdoor/rbac';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { keepQuotaCharge } from './quota-refund.hook';
import { QuotaService } from './quota.service';

/**
 * Partner daily quota: the last of the app's guards, after authentication, the rate limit and the roles check, so a
 * request refused by any of them (429 included) never consumes quota; nor does one the platform's 406 guard, which
 * runs after it, is about to refuse (no format the client accepts). Over quota → 429 with `Retry-After` until the
 * next UTC day (that refusal counts nothing: the store checks before it increments). Users and anonymous callers
 * have no quota. A counted request is remembered on the request, so a 429 decided later (interceptors, handler)
 * gives its count back when the answer is out (installQuotaRefundHook).
 */
@Injectable()
export class QuotaGuard implements CanActivate {
  private readonly exempt: PerRoute<boolean>;

  constructor(
    private readonly quotas: QuotaService,
    reflector: Reflector,
  ) {
    this.exempt = new PerRoute((handler, controller) => reflector.getAllAndOverride<boolean>(NO_RATE_LIMIT_KEY, [handler, controller]) === true);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = principalOf(request);
    if (principal.kind !== 'partner') return true;
    if (this.exempt.of(context) || isNotAcceptable(request)) return true;
    const decision = await this.quotas.consume(principal);
    if (decision.chargedTo !== undefined) keepQuotaCharge(request, decision);
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    reply.header('Quota-Limit', String(decision.quota));
    reply.header('Quota-Remaining', String(Math.max(0, decision.quota - decision.used)));
    if (!decision.allowed) {
      throw new ProblemError('rate-limited', `The daily quota of ${decision.quota} requests of your plan is used up.`, {
        headers: { 'Retry-After': String(decision.resetsInS) },
      });
    }
    return true;
  }
}
