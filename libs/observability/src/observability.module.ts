import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { DependencyLog } from './dependency-log';
import { HealthController } from './health.controller';
import { UpstreamRegistry } from '@frontdoor/upstream';
import { HttpMetrics } from './http-metrics';
import { Lifecycle } from './lifecycle';
import { READINESS_CHECKS } from './readiness';

export interface ObservabilityModuleOptions {
  readonly app: string;
  /** A provider for READINESS_CHECKS, usually a factory over the app's upstream registry. */
  readonly readiness: Omit<Provider, 'provide'> & { useFactory: (...args: never[]) => unknown; inject?: unknown[] };
}

/**
 * `/health/live`, `/health/ready`, `/metrics`, the app's `HttpMetrics`, and the log lines of its dependencies' state
 * changes (circuits, Redis connections: `DependencyLog`).
 */
const UPSTREAM_GAUGES = Symbol('UPSTREAM_GAUGES');

@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityModuleOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [HealthController],
      providers: [
        { provide: HttpMetrics, useValue: new HttpMetrics(options.app) },
        { provide: Lifecycle, useValue: new Lifecycle() },
        DependencyLog,
        { provide: READINESS_CHECKS, ...(options.readiness as object) } as Provider,
        {
          // breaker state, calls in flight, healthy instances, retries and ejections of every upstream, read at scrape time
          provide: UPSTREAM_GAUGES,
          useFactory: (metrics: HttpMetrics, registry?: UpstreamRegistry) => {
            if (registry) {
              metrics.watchUpstreams(() =>
                registry.all().map((client) => {
                  const status = client.status();
                  return {
                    upstream: client.name,
                    breaker: status.breaker,
                    inFlight: status.inFlight,
                    healthyInstances: status.instances.filter((i) => !i.ejected).length,
                    retries: status.retries,
                    ejections: status.ejections,
                  };
                }),
              );
            }
            return true;
          },
          inject: [HttpMetrics, { token: UpstreamRegistry, optional: true }],
        },
      ],
      exports: [HttpMetrics, Lifecycle],
    };
  }
}
