import Redis, { type Command, type RedisOptions } from 'ioredis';

/** How long a command waits for its reply before it fails (Redis hangs), ms: see `failUnanswered`. */
export const COMMAND_TIMEOUT_MS = 200;

/**
 * Fail-fast settings for every Redis client of the gateway (PITFALLS §1.5): with ioredis defaults a command to a
 * dead Redis stays pending for tens of seconds (offline queue, 20 retries). Here a command fails at once when
 * the connection is down and within `COMMAND_TIMEOUT_MS` when Redis hangs (`RedisConnection` bounds every command;
 * ioredis's own `commandTimeout` is left unset, see `failUnanswered`), so callers can fall back and answers keep
 * their normal latency. Reconnection continues in the background (capped backoff), so recovery needs nothing.
 */
export const FAIL_FAST_OPTIONS: Readonly<RedisOptions> = Object.freeze({
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
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
    boundCommands(this.client, COMMAND_TIMEOUT_MS);
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

/**
 * Every command of `client` fails with "Command timed out" when no reply came within `ms`, like ioredis's own
 * `commandTimeout`, except after a stall of the event loop. ioredis's timer rejects the command as soon as it runs,
 * and after a stall (a start-up burst, a long GC) timers run before the socket is read: a reply sitting in the
 * socket's buffer was refused as a timeout, and the rate limit fell back to the instance's own counter with Redis
 * up (seen by the CI-flake hunt: 9 of 20 let through under ten busy loops). Written by hand because ioredis has
 * no option for it: the due timer waits one turn of the loop (`setImmediate` runs after the poll phase has read
 * the socket), and fails the command only if its reply still has not come. One timer per command, as before.
 */
function boundCommands(client: Redis, ms: number): void {
  const send = client.sendCommand.bind(client);
  client.sendCommand = (command, stream) => {
    if (!command.isResolved) {
      const timer = setTimeout(failUnanswered, ms, command);
      const clear = () => clearTimeout(timer);
      command.promise.then(clear, clear);
    }
    return send(command, stream);
  };
}

function failUnanswered(command: Command): void {
  setImmediate(() => {
    if (!command.isResolved) command.reject(new Error('Command timed out'));
  });
}
