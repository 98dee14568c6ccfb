export { RateLimitModule, RateLimitState } from './rate-limit.module';
export { RateLimitGuard } from './rate-limit.guard';
export { QuotaGuard } from './quota.guard';
export { QuotaService, type PartnerUsage, type QuotaCharge } from './quota.service';
export { MemoryWindowStorage } from './memory-window.storage';
export { MemoryQuotaStore, quotaDay, type QuotaStore, type QuotaDecision } from './quota.store';
export { trackerOf } from './tracker';
export { perSecondOf, planOf, type RateLimitSettings } from './rate-limit.settings';
export { RATE_LIMIT_STATE } from './rate-limit.tokens';
