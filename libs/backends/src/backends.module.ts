import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { UpstreamRegistry, upstreamDefinitionsFromConfig } from '@frontdoor/upstream';
import { HrClient } from './hr.client';
import { InventoryClient } from './inventory.client';
import { PayrollClient } from './payroll.client';

/** The upstream part of an app's config (see `upstreamSchema` in @frontdoor/config). */
export type UpstreamSettings = Parameters<typeof upstreamDefinitionsFromConfig>[0];

/**
 * One `UpstreamRegistry` per app (keep-alive pools built once at start) and the typed client of each backend.
 * Pools are closed when the app shuts down.
 */
@Global()
@Module({})
export class BackendsModule implements OnApplicationShutdown {
  constructor(@Inject(UpstreamRegistry) private readonly registry: UpstreamRegistry) {}

  static forRoot(settings: UpstreamSettings): DynamicModule {
    return {
      module: BackendsModule,
      providers: [
        { provide: UpstreamRegistry, useFactory: () => new UpstreamRegistry(upstreamDefinitionsFromConfig(settings)) },
        { provide: InventoryClient, useFactory: (r: UpstreamRegistry) => new InventoryClient(r.get('inventory')), inject: [UpstreamRegistry] },
        { provide: HrClient, useFactory: (r: UpstreamRegistry) => new HrClient(r.get('hr')), inject: [UpstreamRegistry] },
        { provide: PayrollClient, useFactory: (r: UpstreamRegistry) => new PayrollClient(r.get('payroll')), inject: [UpstreamRegistry] },
      ],
      exports: [UpstreamRegistry, InventoryClient, HrClient, PayrollClient],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.registry.close();
  }
}
