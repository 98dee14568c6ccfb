import type { PlanLimits } from '@frontdoor/config';
import type { Principal } from '@frontdoor/rbac';

export interface RateLimitSettings {
  /** Label on metrics. */
  readonly app: string;
  readonly userRps: number;
  readonly anonRps: number;
  readonly partnerPlans: Readonly<Record<string, PlanLimits>>;
  /** Shared counters when set; in-process otherwise. */
  readonly redisUrl?: URL;
}

/** A partner whose plan is unknown gets the smallest plan's limits, never unlimited. */
export function planOf(settings: RateLimitSettings, principal: Principal): PlanLimits {
  const plan = principal.plan !== undefined ? settings.partnerPlans[principal.plan] : undefined;
  if (plan) return plan;
  return Object.values(settings.partnerPlans).reduce((a, b) => (a.perSecond <= b.perSecond ? a : b));
}

/** Requests per second allowed for this principal (app-wide, per principal). */
export function perSecondOf(settings: RateLimitSettings, principal: Principal): number {
  if (principal.kind === 'partner') return planOf(settings, principal).perSecond;
  if (principal.kind === 'user') return settings.userRps;
  return settings.anonRps;
}
