import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { QuotaCharge, QuotaService } from './quota.service';

/** Where `QuotaGuard` keeps a counted request's charge until its answer is out (only partners' counted requests). */
export const QUOTA_CHARGE = Symbol('frontdoor.quotaCharge');

type Charged = FastifyRequest & { [QUOTA_CHARGE]?: QuotaCharge };

export function keepQuotaCharge(request: FastifyRequest, charge: QuotaCharge): void {
  (request as Charged)[QUOTA_CHARGE] = charge;
}

/**
 * Phase `onResponse` (the answer is out, its status final): a request the quota guard counted whose answer is 429
 * — decided after the guards, e.g. the idempotency interceptor's per-owner bound, or a handler's own — gets its
 * count back (PRODUCT.md: requests refused with 429 do not consume a partner's daily quota). The refund goes to the
 * day and store captured when it was charged, so a request straddling UTC midnight refunds the right day. Cost on
 * the hot path: one property read; a refund only for a charged 429. Failure mode: a store that cannot be reached
 * leaves the partner over-counted by one (QuotaService.refund), never under-counted. An answer that never finishes
 * (client gone: Fastify calls no `onResponse`) was no 429 to that client and keeps its count.
 */
export function installQuotaRefundHook(instance: FastifyInstance, quotas: QuotaService): void {
  instance.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    const charge = (request as Charged)[QUOTA_CHARGE];
    // called synchronously: the store's command is issued (memory: done; Redis: queued on its one connection)
    // before this answer's client can send its next request
    if (charge !== undefined && reply.statusCode === 429) void quotas.refund(charge);
    done();
  });
}
