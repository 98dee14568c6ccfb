import { Module, type DynamicModule } from '@nestjs/common';
import { BackendsModule } from '@frontdoor/backends';
import { ObservabilityModule } from '@frontdoor/observability';
import { upstreamReadiness } from '@frontdoor/platform';
import { ProductsController } from '../products/products.controller';
import type { MobileConfig } from './mobile.config';

/** The mobile BFF: trimmed answers for a phone on a slow link. */
@Module({})
export class MobileBffModule {
  static forRoot(config: MobileConfig): DynamicModule {
    return {
      module: MobileBffModule,
      imports: [
        BackendsModule.forRoot(config),
        ObservabilityModule.forRoot({ app: 'mobile-bff', readiness: upstreamReadiness(['inventory', 'sales']) }),
      ],
      controllers: [ProductsController],
    };
  }
}
