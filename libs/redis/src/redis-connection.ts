import Redis, { type RedisOptions } from 'ioredis';

/**
 * Fail-fast settings for every Redis client of the gateway (PITFALLS §1.5): with ioredis defaults a command to a
 * dead Redis stays pending for tens of seconds (offline queue, 20 retries). Here a command fails at once when
 * the connection is down and within `commandTimeout` when Redis hangs, so callers can fall back and answers keep
 * their normal latency. Reconnection continues in the background (capped backoff), so recovery needs nothing.
 */
export const FAIL_FAST_OPTIONS: Readonly<RedisOptions> = Object.freeze({
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 200,
  connectTimeout: 1000,
  enableReadyCheck: true,
  lazyConnect: false,
  retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
});

export type RedisState = 'ready' | 'down';

/**
 * One Redis connection per app and purpose, with its state tracked from the client's events, so readiness and
 * metrics can say "degraded" without a round trip.
 */
export class RedisConnection {
  readonly client: Redis;
  private current: RedisState = 'down';

  constructor(url: URL, readonly name: string) {
    this.client = new Redis(url.toString(), { ...FAIL_FAST_OPTIONS, connectionName: `frontdoor-${name}` });
    this.client.on('ready', () => (this.current = 'ready'));
    this.client.on('end', () => (this.current = 'down'));
    this.client.on('close', () => (this.current = 'down'));
    // Errors surface through failed commands; the event must still be handled or Node treats it as fatal.
    this.client.on('error', () => (this.current = this.client.status === 'ready' ? 'ready' : 'down'));
  }

  get state(): RedisState {
    return this.current;
  }

  get ready(): boolean {
    return this.current === 'ready';
  }

  /** Resolves once connected, or after `timeoutMs` either way (start-up must not hang on Redis). */
  async waitUntilReady(timeoutMs = 1000): Promise<boolean> {
    if (this.ready) return true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.client.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return this.ready;
  }

  async close(): Promise<void> {
    this.client.disconnect(false);
  }
}
