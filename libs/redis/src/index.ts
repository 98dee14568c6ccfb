export { COMMAND_TIMEOUT_MS, FAIL_FAST_OPTIONS, RedisConnection, type RedisState } from './redis-connection';
