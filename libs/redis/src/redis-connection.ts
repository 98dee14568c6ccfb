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
 * A connection that went down (lost, or unreachable from the start) or came back: one per change, never per command.
 * `cause`: the socket error's code when one came with it (`ECONNREFUSED`, `ECONNRESET`…), else `closed`; never a
 * message (ioredis's carry the host and port).
 */
export type RedisTransition =
  | { readonly connection: string; readonly state: 'down'; readonly cause: string }
  | { readonly connection: string; readonly state: 'ready' };

/** Told of every transition of every open `RedisConnection` of the process (see `observeRedisConnections`). */
export type RedisObserver = (transition: RedisTransition) => void;

const observers = new Set<RedisObserver>();
const openConnections = new Set<RedisConnection>();

/**
 * `observer` is told, once each, when a Redis connection of this process goes down and when it is back: the app's
 * log, wired once per app (the connections are built deep inside the stores that use them, so they are observed
 * here, per process). A connection already down is told at once. Returns what stops the observation (the app's
 * shutdown). Connections closed on purpose (`close()`) tell nothing. An observer that throws is ignored.
 */
export function observeRedisConnections(observer: RedisObserver): () => void {
  observers.add(observer);
  for (const connection of openConnections) connection.replayTo(observer);
  return () => void observers.delete(observer);
}

function tell(observer: RedisObserver, transition: RedisTransition): void {
  try {
    observer(transition);
  } catch {
    // the log must not break the connection's state tracking, which runs in these events
  }
}

/**
 * One Redis connection per app and purpose, with its state tracked from the client's events, so readiness and
 * metrics can say "degraded" without a round trip; its changes are told to `observeRedisConnections` (the log).
 */
export class RedisConnection {
  readonly client: Redis;
  private current: RedisState = 'down';
  /** What observers were told last: nothing until the first connection or failure, then each change once. */
  private told: RedisTransition | undefined;
  /** The code of the last socket error, the cause of the next `down`. */
  private lastErrorCode: string | undefined;
  private closing = false;

  constructor(url: URL, readonly name: string) {
    this.client = new Redis(url.toString(), { ...FAIL_FAST_OPTIONS, connectionName: `frontdoor-${name}` });
    boundCommands(this.client, COMMAND_TIMEOUT_MS);
    openConnections.add(this);
    this.client.on('ready', () => {
      this.current = 'ready';
      this.lastErrorCode = undefined;
      this.changed();
    });
    this.client.on('end', () => this.wentDown());
    this.client.on('close', () => this.wentDown());
    // Errors surface through failed commands; the event must still be handled or Node treats it as fatal.
    this.client.on('error', (error: { code?: unknown }) => {
      if (typeof error?.code === 'string') this.lastErrorCode = error.code;
      if (this.client.status === 'ready') return;
      this.current = 'down';
      this.changed();
    });
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
    this.closing = true;
    openConnections.delete(this);
    this.client.disconnect(false);
  }

  /** For `observeRedisConnections`: a new observer learns that this connection is down already. */
  replayTo(observer: RedisObserver): void {
    if (this.told?.state === 'down') tell(observer, this.told);
  }

  private wentDown(): void {
    this.current = 'down';
    this.changed();
  }

  /**
   * Tells observers of a change of `current` since the last one told: the first `ready` of a connection tells
   * nothing (a normal start), a `down` (lost, or unreachable from the start) and the `ready` after it tell once each.
   */
  private changed(): void {
    const previous = this.told?.state;
    if (this.closing || this.current === previous) return;
    if (previous === undefined && this.current === 'ready') {
      this.told = { connection: this.name, state: 'ready' };
      return;
    }
    const transition: RedisTransition =
      this.current === 'ready'
        ? { connection: this.name, state: 'ready' }
        : { connection: this.name, state: 'down', cause: this.lastErrorCode ?? 'closed' };
    this.told = transition;
    for (const observer of observers) tell(observer, transition);
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
