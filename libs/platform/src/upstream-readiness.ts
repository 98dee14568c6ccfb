import type { InjectionToken } from '@nestjs/common';
import type { ReadinessCheck } from '@frontdoor/observability';
import { UpstreamRegistry } from '@frontdoor/upstream';

/** Anything that reports its own readiness (e.g. the rate-limit store: `degraded` while Redis is away). */
export interface HasReadiness {
  readonly readiness: ReadinessCheck;
}

/**
 * Readiness provider for ObservabilityModule: one check per upstream the app needs, each a short `/health`
 * probe of its instances (up when at least one instance answers; `upstream: true`, see `readinessOf`), plus the
 * checks of `also` (providers that expose a `readiness` check).
 */
export function upstreamReadiness(names: readonly string[], ...also: InjectionToken[]) {
  return {
    useFactory: (registry: UpstreamRegistry, ...others: HasReadiness[]): ReadinessCheck[] => [
      ...names.map((name): ReadinessCheck => {
        const client = registry.get(name);
        return { name, upstream: true, check: async () => ((await client.probe()) ? 'up' : 'down') };
      }),
      ...others.map((other) => other.readiness),
    ],
    inject: [UpstreamRegistry, ...also],
  };
}
