export {
  COMMAND_TIMEOUT_MS,
  FAIL_FAST_OPTIONS,
  RedisConnection,
  observeRedisConnections,
  type RedisObserver,
  type RedisState,
  type RedisTransition,
} from './redis-connection';
