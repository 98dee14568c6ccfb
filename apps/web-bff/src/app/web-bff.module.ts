import { Module, type DynamicModule } from '@nestjs/common';
import { BackendsModule } from '@frontdoor/backends';
import { ObservabilityModule } from '@frontdoor/observability';
import { upstreamReadiness } from '@frontdoor/platform';
import { EmployeesController } from '../employees/employees.controller';
import { EmployeesService } from '../employees/employees.service';
import type { WebConfig } from './web.config';

/** The web BFF: rich answers for the browser dashboard. */
@Module({})
export class WebBffModule {
  static forRoot(config: WebConfig): DynamicModule {
    return {
      module: WebBffModule,
      imports: [
        BackendsModule.forRoot(config),
        ObservabilityModule.forRoot({ app: 'web-bff', readiness: upstreamReadiness(['inventory', 'hr', 'payroll', 'sales']) }),
      ],
      controllers: [EmployeesController],
      providers: [EmployeesService],
    };
  }
}
