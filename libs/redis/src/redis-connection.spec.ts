import { closedPort, startRedis } from '@frontdoor/testing';
import { RedisConnection } from './redis-connection';

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
});
