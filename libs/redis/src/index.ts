export { FAIL_FAST_OPTIONS, RedisConnection, type RedisState } from './redis-connection';
