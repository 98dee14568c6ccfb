import { SetMetadata } from '@nestjs/common';

export const NO_RATE_LIMIT_KEY = 'frontdoor:no-rate-limit';

/**
 * Never rate limited: health, readiness and metrics (probes and scrapers must always get through). Public routes
 * without this mark (docs, portal, OpenAPI documents) are limited per client IP.
 */
export const NoRateLimit = () => SetMetadata(NO_RATE_LIMIT_KEY, true);
