import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import type { RedisConnection } from '@frontdoor/redis';

/**
 * One atomic round trip per decision (EVALSHA through ioredis' defineCommand): INCR the window's counter, start
 * its expiry on the first hit, and read the time left. Atomic in Redis, so N instances share one exact limit
 * (a read-then-write store let ≈400/1000 through a 5/s limit: PITFALLS §1.4).
 */
const WINDOW_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}
`;

type WindowCommand = (key: string, ttlMs: number) => Promise<[number, number]>;

export class RedisWindowStorage implements ThrottlerStorage {
  private readonly command: WindowCommand;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {
    redis.client.defineCommand('frontdoorWindow', { numberOfKeys: 1, lua: WINDOW_SCRIPT });
    const client = redis.client as unknown as Record<'frontdoorWindow', WindowCommand>;
    this.command = (key, ttlMs) => client.frontdoorWindow(key, ttlMs);
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const [hits, ttlLeftMs] = await this.command(this.prefix + key, ttl);
    const timeToExpire = Math.max(1, Math.ceil(ttlLeftMs / 1000));
    const isBlocked = hits > limit;
    return { totalHits: hits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
  }
}
