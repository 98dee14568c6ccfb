import { closedPort, startRedis } from '@frontdoor/testing';
import { RedisConnection, observeRedisConnections, type RedisTransition } from './redis-connection';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 20 ms, failing after `timeoutMs` (a bound for a broken build, not a latency assertion). */
async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const start = Date.now(); !condition(); await sleep(20)) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
  }
}

/** What the app's log is told of its Redis connections: once per change, never per command or reconnection attempt. */
describe('observeRedisConnections (real redis-server)', () => {
  const told: RedisTransition[] = [];
  let stop: () => void;
  beforeEach(() => {
    told.length = 0;
    stop = observeRedisConnections((t) => told.push(t));
  });
  afterEach(() => stop());

  it('a normal start tells nothing; a crash tells one `down` across many reconnection attempts, the restart one `ready`', async () => {
    const redis = await startRedis();
    const connection = new RedisConnection(redis.url, 'spec-limits');
    try {
      expect(await connection.waitUntilReady(2000)).toBe(true);
      expect(told).toEqual([]);
      await redis.kill();
      await waitFor(() => told.length > 0);
      await sleep(1500); // ~10 reconnection attempts, each refused
      await Promise.all(Array.from({ length: 20 }, () => connection.client.incr('k').catch(() => undefined)));
      expect(told).toEqual([
        { connection: 'spec-limits', state: 'down', cause: expect.stringMatching(/^(closed|ECONN[A-Z]+)$/) },
      ]);
      await redis.start();
      await waitFor(() => connection.ready, 5000);
      expect(told.slice(1)).toEqual([{ connection: 'spec-limits', state: 'ready' }]);
    } finally {
      await connection.close();
      await redis.stop();
    }
    expect(told).toHaveLength(2); // closing it on purpose tells nothing
  });

  it('a Redis unreachable from the start tells one `down` with the socket error code; a later observer learns it at once', async () => {
    const connection = new RedisConnection(new URL(`redis://127.0.0.1:${await closedPort()}`), 'spec-cache');
    try {
      await waitFor(() => told.length > 0);
      await sleep(500);
      expect(told).toEqual([{ connection: 'spec-cache', state: 'down', cause: 'ECONNREFUSED' }]);
      const later: RedisTransition[] = [];
      const stopLater = observeRedisConnections((t) => later.push(t));
      stopLater();
      expect(later).toEqual([{ connection: 'spec-cache', state: 'down', cause: 'ECONNREFUSED' }]);
    } finally {
      await connection.close();
    }
  });

  it('an observer that throws breaks nothing: the state is still tracked', async () => {
    const stopBroken = observeRedisConnections(() => {
      throw new Error('a broken log');
    });
    const connection = new RedisConnection(new URL(`redis://127.0.0.1:${await closedPort()}`), 'spec-broken');
    try {
      await waitFor(() => told.length > 0);
      expect(connection.state).toBe('down');
    } finally {
      stopBroken();
      await connection.close();
    }
  });
});
