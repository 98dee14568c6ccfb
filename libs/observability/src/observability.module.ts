import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HttpMetrics } from './http-metrics';
import { READINESS_CHECKS } from './readiness';

export interface ObservabilityModuleOptions {
  readonly app: string;
  /** A provider for READINESS_CHECKS, usually a factory over the app's upstream registry. */
  readonly readiness: Omit<Provider, 'provide'> & { useFactory: (...args: never[]) => unknown; inject?: unknown[] };
}

/** `/health/live`, `/health/ready`, `/metrics`, and the app's `HttpMetrics`. */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityModuleOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [HealthController],
      providers: [
        { provide: HttpMetrics, useValue: new HttpMetrics(options.app) },
        { provide: READINESS_CHECKS, ...(options.readiness as object) } as Provider,
      ],
      exports: [HttpMetrics],
    };
  }
}
