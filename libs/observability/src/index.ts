export { createLogger, REDACTED_PATHS, type LoggerOptions } from './logger';
export { NestPinoLogger } from './nest-logger';
export { isWellFormedRequestId, requestIdOf } from './request-id';
export { HttpMetrics, type UpstreamGaugeState } from './http-metrics';
export { RequestTrace, type CallObserver, type UpstreamCallRecord } from './request-trace';
export { createTracing, type Tracing } from './tracing';
export { HealthController } from './health.controller';
export { READINESS_CHECKS, type ReadinessCheck } from './readiness';
export { ObservabilityModule, type ObservabilityModuleOptions } from './observability.module';
