export { Idempotent, IDEMPOTENT_KEY, type IdempotencyKeyPolicy } from './idempotent.decorator';
export { IdempotencyInterceptor, IDEMPOTENCY_STORE, upstreamIdempotencyKeyOf, type IdempotencySettings } from './idempotency.interceptor';
export { IdempotencyModule, type IdempotencyModuleOptions } from './idempotency.module';
export {
  MemoryIdempotencyStore,
  RedisIdempotencyStore,
  type IdempotencyStore,
  type MemoryIdempotencyLimits,
  type StoredAnswer,
  type BeginOutcome,
} from './idempotency.store';
export { canonicalJson, fingerprintOf } from './fingerprint';
