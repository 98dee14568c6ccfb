import { startRedis, type RedisServer } from '@frontdoor/testing';
import { createResponseCache } from './pass-through.module';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('createResponseCache', () => {
  const settings = { cacheMaxEntries: 10, cacheMaxBytes: 1e6, cacheStaleMaxS: 60 };
  const answer = (body: string) => ({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) });

  it('without REDIS_URL keeps copies in memory only', async () => {
    const resources = createResponseCache(settings, 'web-bff');
    await resources.cache.put('k', answer('1'), 5);
    expect((await resources.cache.get('k'))?.body.toString()).toBe('1');
    expect(resources.redis).toBeUndefined();
    await resources.close();
  });

  describe('with REDIS_URL (real redis-server)', () => {
    let redis: RedisServer;
    beforeAll(async () => (redis = await startRedis()));
    afterAll(() => redis?.stop());

    it('shares copies between gateway instances, and falls back to memory when Redis dies', async () => {
      const one = createResponseCache({ ...settings, redisUrl: redis.url }, 'web-bff');
      const two = createResponseCache({ ...settings, redisUrl: redis.url }, 'web-bff');
      try {
        await Promise.all([one.redis?.waitUntilReady(2000), two.redis?.waitUntilReady(2000)]);
        // named after the app, as its other connections are (`<app>-limits`, `<app>-idempotency`, `<app>-keys`)
        expect(await one.redis?.client.client('GETNAME')).toBe('frontdoor-web-bff-cache');
        await one.cache.put('shared', answer('from one'), 5);
        await sleep(20); // the Redis write is not awaited by the request path; here it is, but give it a tick
        expect((await two.cache.get('shared'))?.body.toString()).toBe('from one');

        await redis.kill();
        await one.cache.put('later', answer('memory'), 5);
        expect((await one.cache.get('later'))?.body.toString()).toBe('memory');
        expect(await two.cache.get('later')).toBeUndefined();
      } finally {
        await Promise.all([one.close(), two.close()]);
        await redis.start();
      }
    });
  });
});
