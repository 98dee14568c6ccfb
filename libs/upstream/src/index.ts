export { UpstreamClient } from './upstream.client';
export { UpstreamRegistry } from './upstream.registry';
export { upstreamDefinitionsFromConfig, type UpstreamConfig } from './upstream.config';
export { buildPath } from './build-path';
export { problemForUpstreamStatus, retryAfterFrom, MAX_RETRY_AFTER_S } from './status-mapping';
export { UpstreamAbortedError, isUpstreamAbortedError } from './upstream.errors';
export {
  DEFAULT_CONNECTIONS,
  DEFAULT_DEADLINE_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_PROBE_TIMEOUT_MS,
  type HttpMethod,
  type UpstreamOptions,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream.types';
