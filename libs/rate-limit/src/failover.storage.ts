import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import type { RedisConnection } from '@frontdoor/redis';
import type { MemoryWindowStorage } from './memory-window.storage';
import type { RedisWindowStorage } from './redis-window.storage';

/**
 * Shared limits in Redis, local limits when Redis is away (Kong's `fault_tolerant`, but still limiting: backends
 * stay protected). While the connection is down no round trip is attempted at all; a command that fails or times
 * out (≤ 200 ms, fail-fast client) falls back for that decision. Recovery is automatic when the client reconnects.
 */
export class FailoverStorage implements ThrottlerStorage {
  constructor(
    private readonly connection: RedisConnection,
    private readonly shared: RedisWindowStorage,
    private readonly local: MemoryWindowStorage,
    private readonly onFallback: () => void,
  ) {}

  get degraded(): boolean {
    return !this.connection.ready;
  }

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, _name: string): Promise<ThrottlerStorageRecord> {
    if (this.connection.ready) {
      try {
        return await this.shared.increment(key, ttl, limit);
      } catch {
        // fall through to the local window
      }
    }
    this.onFallback();
    return this.local.increment(key, ttl, limit);
  }
}
