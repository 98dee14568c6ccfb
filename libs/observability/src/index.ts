export { createLogger, REDACTED_PATHS, type LoggerOptions } from './logger';
export { NestPinoLogger } from './nest-logger';
export { isWellFormedRequestId, requestIdOf } from './request-id';
export { HttpMetrics } from './http-metrics';
export { HealthController } from './health.controller';
export { READINESS_CHECKS, type ReadinessCheck } from './readiness';
export { ObservabilityModule, type ObservabilityModuleOptions } from './observability.module';
