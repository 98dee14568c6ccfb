import type { ReadinessCheck } from '@frontdoor/observability';
import { UpstreamRegistry } from '@frontdoor/upstream';

/**
 * Readiness provider for ObservabilityModule: one check per upstream the app needs, each a short `/health`
 * probe of its instances (up when at least one instance answers).
 */
export function upstreamReadiness(names: readonly string[]) {
  return {
    useFactory: (registry: UpstreamRegistry): ReadinessCheck[] =>
      names.map((name) => {
        const client = registry.get(name);
        return { name, check: async () => ((await client.probe()) ? 'up' : 'down') };
      }),
    inject: [UpstreamRegistry],
  };
}
