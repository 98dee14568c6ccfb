import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@frontdoor/rbac';
import { RateLimitMetrics } from './rate-limit.metrics';
import { planOf, type RateLimitSettings } from './rate-limit.settings';
import { QUOTA_STORE, RATE_LIMIT_SETTINGS } from './rate-limit.tokens';
import { quotaDay, type QuotaDecision, type QuotaStore } from './quota.store';

/** A partner's usage today, as the developer portal shows it. */
export interface PartnerUsage {
  readonly partner: string;
  readonly plan: string;
  readonly day: string;
  readonly used: number;
  readonly quota: number;
  readonly remaining: number;
  readonly perSecond: number;
  readonly resetsInS: number;
}

/** What a refund takes back, and where: the partner, the UTC day charged (not the day of the refund), the store. */
export interface QuotaCharge {
  readonly partner: string;
  readonly day: string;
  readonly chargedTo?: QuotaStore;
}

/** Partner daily quotas from the usage plan; usage per partner per UTC day is queryable. */
@Injectable()
export class QuotaService {
  constructor(
    @Inject(RATE_LIMIT_SETTINGS) private readonly settings: RateLimitSettings,
    @Inject(QUOTA_STORE) private readonly store: QuotaStore,
    private readonly metrics: RateLimitMetrics,
  ) {}

  /** Counts the request when under quota; the answer doubles as its `QuotaCharge` (`chargedTo` set only when counted). */
  async consume(
    principal: Principal,
    now = Date.now(),
  ): Promise<QuotaDecision & QuotaCharge & { quota: number; resetsInS: number }> {
    const { day, secondsLeft } = quotaDay(now);
    const quota = planOf(this.settings, principal).perDay;
    const decision = await this.store.consume(principal.id, day, quota);
    if (!decision.allowed) this.metrics.rejections.inc({ kind: 'quota' });
    // every property named: `{ ...decision, … }` caused partner-bff's slow tail (see eslint.config.mjs)
    return {
      allowed: decision.allowed,
      used: decision.used,
      chargedTo: decision.chargedTo,
      quota,
      resetsInS: secondsLeft,
      partner: principal.id,
      day,
    };
  }

  /**
   * Takes one counted request back (its answer was a 429 decided after the quota guard). Best effort: a store that
   * fails leaves the partner over-counted by one, and the caller (an `onResponse` hook) has no one to tell.
   */
  async refund(charge: QuotaCharge): Promise<void> {
    try {
      await (charge.chargedTo ?? this.store).refund(charge.partner, charge.day);
    } catch {
      // over-counted by one; the answer is already out
    }
  }

  async usage(principal: Principal, now = Date.now()): Promise<PartnerUsage> {
    const { day, secondsLeft } = quotaDay(now);
    const plan = planOf(this.settings, principal);
    const used = await this.store.used(principal.id, day);
    return {
      partner: principal.id,
      plan: principal.plan ?? 'unknown',
      day,
      used,
      quota: plan.perDay,
      remaining: Math.max(0, plan.perDay - used),
      perSecond: plan.perSecond,
      resetsInS: secondsLeft,
    };
  }
}
