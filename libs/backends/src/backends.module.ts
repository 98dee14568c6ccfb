import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { IDENTITY_SIGNER, UpstreamRegistry, upstreamDefinitionsFromConfig, type IdentitySigner } from '@frontdoor/upstream';
import { CustomersClient } from './customers.client';
import { HrClient } from './hr.client';
import { InventoryClient } from './inventory.client';
import { PayrollClient } from './payroll.client';
import { SalesClient } from './sales.client';

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
        // the identity signer (libs/auth, global) when the app has one: calls with an identity carry the gateway's token
        {
          provide: UpstreamRegistry,
          useFactory: (signer?: IdentitySigner) => new UpstreamRegistry(upstreamDefinitionsFromConfig(settings), signer),
          inject: [{ token: IDENTITY_SIGNER, optional: true }],
        },
        { provide: InventoryClient, useFactory: (r: UpstreamRegistry) => new InventoryClient(r.get('inventory')), inject: [UpstreamRegistry] },
        { provide: HrClient, useFactory: (r: UpstreamRegistry) => new HrClient(r.get('hr')), inject: [UpstreamRegistry] },
        { provide: PayrollClient, useFactory: (r: UpstreamRegistry) => new PayrollClient(r.get('payroll')), inject: [UpstreamRegistry] },
        { provide: SalesClient, useFactory: (r: UpstreamRegistry) => new SalesClient(r.get('sales')), inject: [UpstreamRegistry] },
        { provide: CustomersClient, useFactory: (r: UpstreamRegistry) => new CustomersClient(r.get('customers')), inject: [UpstreamRegistry] },
      ],
      exports: [UpstreamRegistry, InventoryClient, HrClient, PayrollClient, SalesClient, CustomersClient],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.registry.close();
  }
}
