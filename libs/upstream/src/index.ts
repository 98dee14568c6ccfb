export { UpstreamClient, type UpstreamStatus } from './upstream.client';
export {
  UpstreamBreaker,
  DEFAULT_BREAKER_FAILURES,
  DEFAULT_BREAKER_HALF_OPEN_AFTER_MS,
  type BreakerOptions,
  type BreakerState,
  type BreakerTransition,
} from './breaker.policy';
export {
  RetryPolicy,
  isIdempotent,
  DEFAULT_RETRY_ATTEMPTS,
  DEFAULT_RETRY_BASE_MS,
  DEFAULT_RETRY_BUDGET_PERCENT,
  type RetryOptions,
} from './retry.policy';
export type { InstanceHealth } from './instance.balancer';
export { UpstreamRegistry } from './upstream.registry';
export { IDENTITY_SIGNER, type CallIdentity, type IdentitySigner } from './identity.port';
export { upstreamDefinitionsFromConfig, type UpstreamConfig } from './upstream.config';
export { buildPath } from './build-path';
export { problemForUpstreamStatus, retryAfterFrom, MAX_RETRY_AFTER_S } from './status-mapping';
export { UpstreamAbortedError, isUpstreamAbortedError, isCircuitOpen, isOverBudget } from './upstream.errors';
export {
  DEFAULT_CONNECTIONS,
  DEFAULT_DEADLINE_MS,
  DEFAULT_EJECT_AFTER_FAILURES,
  DEFAULT_MAX_CONCURRENT,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_PROBE_INTERVAL_MS,
  DEFAULT_PROBE_TIMEOUT_MS,
  type HttpMethod,
  type UpstreamOptions,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream.types';
export { decodeResponse } from './decode-response';
export {
  HOP_BY_HOP,
  isHopByHop,
  connectionTokens,
  pickHeaders,
  forwardableHeaderProblem,
  returnableHeaderProblem,
} from './header.policy';
export { RESPONSE_CACHE_STORE, type CachedResponse, type ResponseCacheStore } from './cache.store';
export { MemoryCacheStore } from './memory-cache.store';
export { RedisCacheStore, type RedisCacheClient, type RedisCacheOptions } from './redis-cache.store';
export { TieredCacheStore } from './tiered-cache.store';
export { cacheAllowance, type CacheAllowance } from './cache-control';
export { ResponseCache, cacheKeyOf, STALE_TTL_FACTOR, type CacheAudience, type CacheKeyParts } from './response-cache';
export { outcomeOfError, outcomeOfStatus, type CallOutcome, type CallSpan, type CallTrace } from './call-trace.port';
export type { CallerSignal } from './caller-signal.port';
export { CancelSignal } from './cancel.signal';
