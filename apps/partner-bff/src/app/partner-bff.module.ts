import { Module, type DynamicModule } from '@nestjs/common';
import { BackendsModule } from '@frontdoor/backends';
import { ObservabilityModule } from '@frontdoor/observability';
import { upstreamReadiness } from '@frontdoor/platform';
import { V1ProductsController } from '../v1/products/v1-products.controller';
import type { PartnerConfig } from './partner.config';

/** The partner BFF: a slim, versioned API for third-party systems. */
@Module({})
export class PartnerBffModule {
  static forRoot(config: PartnerConfig): DynamicModule {
    return {
      module: PartnerBffModule,
      imports: [
        BackendsModule.forRoot(config),
        ObservabilityModule.forRoot({ app: 'partner-bff', readiness: upstreamReadiness(['inventory', 'sales']) }),
      ],
      controllers: [V1ProductsController],
    };
  }
}
