import { closedPort, startRedis } from '@frontdoor/testing';
import { COMMAND_TIMEOUT_MS, RedisConnection } from './redis-connection';

/** Blocks the event loop for `ms` without burning CPU: what a start-up burst or a long GC does to the gateway. */
function stallEventLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('RedisConnection', () => {
  it('fails fast when Redis is not there: a command rejects at once instead of queueing', async () => {
    const connection = new RedisConnection(new URL(`redis://127.0.0.1:${await closedPort()}`), 'test');
    expect(await connection.waitUntilReady(200)).toBe(false);
    expect(connection.state).toBe('down');
    const outcome = await Promise.race([
      connection.client.incr('k').then(() => 'answered', () => 'rejected'),
      new Promise((resolve) => setTimeout(() => resolve('still pending'), 1000)),
    ]);
    expect(outcome).toBe('rejected');
    await connection.close();
  });

  it('tracks the state across a crash and recovers by itself', async () => {
    const redis = await startRedis();
    const connection = new RedisConnection(redis.url, 'test');
    try {
      expect(await connection.waitUntilReady(2000)).toBe(true);
      expect(await connection.client.incr('k')).toBe(1);
      await redis.kill();
      for (let i = 0; i < 50 && connection.ready; i++) await new Promise((r) => setTimeout(r, 20));
      expect(connection.state).toBe('down');
      await redis.start();
      expect(await connection.waitUntilReady(3000)).toBe(true);
      expect(await connection.client.incr('k')).toBe(1); // a fresh, empty server
    } finally {
      await connection.close();
      await redis.stop();
    }
  });

  describe('command timeout', () => {
    let redis: Awaited<ReturnType<typeof startRedis>>;
    let connection: RedisConnection;
    beforeAll(async () => {
      redis = await startRedis();
      connection = new RedisConnection(redis.url, 'test');
      expect(await connection.waitUntilReady(2000)).toBe(true);
    });
    afterAll(async () => {
      await connection?.close();
      await redis?.stop();
    });

    it('takes a reply that arrived while the event loop was stalled past the timeout, instead of refusing it', async () => {
      const answer = connection.client.incr('stalled');
      stallEventLoop(COMMAND_TIMEOUT_MS * 2); // Redis answers meanwhile; the timer is due before the socket is read
      await expect(answer).resolves.toBe(1);
    });

    it('fails a command Redis does not answer within the timeout', async () => {
      const admin = new RedisConnection(redis.url, 'admin');
      try {
        expect(await admin.waitUntilReady(2000)).toBe(true);
        await admin.client.call('CLIENT', 'PAUSE', '1000', 'ALL'); // Redis hangs for every other client for 1 s
        const started = Date.now();
        await expect(connection.client.incr('paused')).rejects.toThrow('Command timed out');
        expect(Date.now() - started).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS - 5);
        expect(Date.now() - started).toBeLessThan(800);
      } finally {
        await admin.close();
      }
    });
  });
});
