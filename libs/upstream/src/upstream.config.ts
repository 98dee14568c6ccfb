import { UPSTREAM_NAMES, type ConfigOf, type upstreamSchema } from '@frontdoor/config';
import type { UpstreamOptions } from './upstream.types';

/** The part of the validated config the upstream clients are built from (`upstreamSchema`). */
export type UpstreamConfig = ConfigOf<typeof upstreamSchema>;

/**
 * One definition per upstream of PRODUCT.md (inventory, hr, payroll, sales, customers): its URLs, the route
 * deadline as default deadline, the response cap, the connections per instance, and its policy stack: concurrency
 * budget, retries, circuit breaker, ejection and probing.
 */
export function upstreamDefinitionsFromConfig(config: UpstreamConfig): UpstreamOptions[] {
  return UPSTREAM_NAMES.map((name) => ({
    name,
    urls: config[`${name}Urls`],
    connections: config.upstreamConnections,
    maxResponseBytes: config.upstreamMaxResponseBytes,
    defaultDeadlineMs: config.routeDeadlineMs,
    maxConcurrent: config[`${name}MaxConcurrent`],
    retry: {
      maxAttempts: config.retryMaxAttempts,
      baseDelayMs: config.retryBaseMs,
      budgetPercent: config.retryBudgetPercent,
    },
    breaker: { failures: config.breakerFailures, halfOpenAfterMs: config.breakerHalfOpenAfterMs },
    ejectAfterFailures: config.upstreamEjectAfterFailures,
    probeIntervalMs: config.upstreamProbeIntervalMs,
    healthPath: config[`${name}HealthPath`],
  }));
}
