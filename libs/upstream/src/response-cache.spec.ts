import { startRedis, type RedisServer } from '@frontdoor/testing';
import Redis from 'ioredis';
import { cacheAllowance } from './cache-control';
import type { CachedResponse } from './cache.store';
import { MemoryCacheStore } from './memory-cache.store';
import { RedisCacheStore } from './redis-cache.store';
import { ResponseCache, cacheKeyOf } from './response-cache';
import { TieredCacheStore } from './tiered-cache.store';

const entry = (body: string, freshUntil: number, staleUntil = freshUntil + 1000): CachedResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json', etag: '"v1"' },
  body: Buffer.from(body),
  freshUntil,
  staleUntil,
});

describe('cacheAllowance (upstream Cache-Control)', () => {
  it.each([
    ['no header', {}, false, 30],
    ['max-age lowers the TTL', { 'cache-control': 'max-age=10' }, false, 10],
    ['max-age never raises it', { 'cache-control': 'public, max-age=600' }, false, 30],
    ['s-maxage wins on a shared route', { 'cache-control': 'max-age=20, s-maxage=5' }, true, 5],
    ['s-maxage is ignored on a personal route', { 'cache-control': 'max-age=20, s-maxage=5' }, false, 20],
    ['no-store', { 'cache-control': 'no-store' }, false, 0],
    ['no-cache', { 'cache-control': 'No-Cache' }, false, 0],
    ['private on a shared route', { 'cache-control': 'private, max-age=60' }, true, 0],
    ['private on a personal route', { 'cache-control': 'private, max-age=60' }, false, 30],
    ['max-age=0', { 'cache-control': 'max-age=0' }, false, 0],
    ['Set-Cookie', { 'set-cookie': 'a=b' }, true, 0],
    ['Vary: *', { vary: '*' }, false, 0],
  ])('%s → %d s', (_label, headers, shared, ttlS) => {
    expect(cacheAllowance(headers, 30, shared).ttlS).toBe(ttlS);
  });
});

describe('cacheKeyOf', () => {
  const base = { upstream: 'inventory', path: '/products?limit=5' };
  it('never shares a personal answer across principals', () => {
    const alice = cacheKeyOf({ ...base, audience: { shared: false, principal: 'user:alice' } });
    const bob = cacheKeyOf({ ...base, audience: { shared: false, principal: 'user:bob' } });
    const everyone = cacheKeyOf({ ...base, audience: { shared: true } });
    expect(new Set([alice, bob, everyone]).size).toBe(3);
  });

  it.each([
    ['the upstream', { ...base, upstream: 'sales' }],
    ['the path', { ...base, path: '/products?limit=6' }],
    ['a forwarded header', { ...base, headers: { 'accept-language': 'de' } }],
  ])('depends on %s', (_label, parts) => {
    expect(cacheKeyOf({ ...parts, audience: { shared: true } })).not.toBe(cacheKeyOf({ ...base, audience: { shared: true } }));
  });

  it('cannot be forged by a principal id that looks like a path', () => {
    const tricky = cacheKeyOf({ ...base, audience: { shared: false, principal: '*' } });
    expect(tricky).not.toBe(cacheKeyOf({ ...base, audience: { shared: true } }));
  });
});

describe('MemoryCacheStore', () => {
  let now = 1000;
  const clock = () => now;

  it('evicts the least recently used past its entry bound', () => {
    const store = new MemoryCacheStore(2, 1e6, clock);
    store.set('a', entry('A', 5000));
    store.set('b', entry('B', 5000));
    store.get('a');
    store.set('c', entry('C', 5000));
    expect([store.get('a')?.body.toString(), store.get('b'), store.get('c')?.body.toString()]).toEqual(['A', undefined, 'C']);
  });

  it('evicts past its byte bound and never keeps an answer over a quarter of it', () => {
    const store = new MemoryCacheStore(100, 40, clock);
    store.set('big', entry('x'.repeat(11), 5000));
    expect(store.get('big')).toBeUndefined();
    for (const k of ['a', 'b', 'c', 'd', 'e']) store.set(k, entry('y'.repeat(10), 5000));
    expect(store.size).toBe(4);
    expect(store.get('a')).toBeUndefined();
  });

  it('drops a copy once its stale window has passed', () => {
    const store = new MemoryCacheStore(10, 1e6, clock);
    store.set('k', entry('K', 2000, 3000));
    now = 2500;
    expect(store.get('k')?.body.toString()).toBe('K');
    now = 3000;
    expect(store.get('k')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('caches nothing with 0 entries', () => {
    const store = new MemoryCacheStore(0, 1e6, clock);
    store.set('k', entry('K', 5000));
    expect(store.get('k')).toBeUndefined();
  });
});

describe('ResponseCache', () => {
  it('keeps a copy fresh for the TTL and stale for min(10 x TTL, staleMaxS)', async () => {
    let now = 0;
    const store = new MemoryCacheStore(10, 1e6, () => now);
    const cache = new ResponseCache(store, 60, () => now);
    await cache.put('k', { status: 200, headers: {}, body: Buffer.from('v') }, 30);
    const stored = await cache.get('k');
    expect(stored).toMatchObject({ freshUntil: 30_000, staleUntil: 90_000 });
    expect(cache.isFresh(stored as CachedResponse)).toBe(true);
    now = 30_000;
    expect(cache.isFresh((await cache.get('k')) as CachedResponse)).toBe(false);
    now = 90_000;
    expect(await cache.get('k')).toBeUndefined();
    await cache.put('short', { status: 200, headers: {}, body: Buffer.from('v') }, 2);
    expect(await cache.get('short')).toMatchObject({ freshUntil: 92_000, staleUntil: 112_000 });
  });

  it('answers a miss when its store throws', async () => {
    const cache = new ResponseCache({ get: () => Promise.reject(new Error('down')), set: () => Promise.reject(new Error('down')) }, 60);
    await expect(cache.put('k', { status: 200, headers: {}, body: Buffer.alloc(1) }, 5)).resolves.toBeUndefined();
    await expect(cache.get('k')).resolves.toBeUndefined();
  });
});

describe('RedisCacheStore and TieredCacheStore (real redis-server)', () => {
  let redis: RedisServer;
  const clients: Redis[] = [];
  const connect = () => {
    const client = new Redis(redis.url.toString(), { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 200, lazyConnect: false });
    client.on('error', () => undefined);
    clients.push(client);
    return new Promise<Redis>((resolve) => client.once('ready', () => resolve(client)));
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await redis?.stop();
  });

  it('shares a copy between two gateway instances, keyed by hash (no path or principal in clear)', async () => {
    const [one, two] = [await connect(), await connect()];
    const writer = new RedisCacheStore(one);
    const reader = new RedisCacheStore(two);
    const key = cacheKeyOf({ upstream: 'inventory', path: '/products/SKU-1', audience: { shared: false, principal: 'user:alice' } });
    await writer.set(key, entry('{"sku":"SKU-1"}', Date.now() + 30_000, Date.now() + 60_000));
    const copy = await reader.get(key);
    expect(copy?.body.toString()).toBe('{"sku":"SKU-1"}');
    expect(copy?.headers).toEqual({ 'content-type': 'application/json', etag: '"v1"' });
    const keys = await one.keys('*');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^frontdoor:cache:v1:[A-Za-z0-9_-]{43}$/);
    const ttl = await one.pttl(keys[0] as string);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('falls back to memory when Redis dies: misses and dropped writes, never an error or a hang', async () => {
    const client = await connect();
    const errors: unknown[] = [];
    const shared = new RedisCacheStore(client, { onError: (e) => errors.push(e) });
    const store = new TieredCacheStore(new MemoryCacheStore(10, 1e6), shared);
    await store.set('before', entry('B', Date.now() + 30_000));
    await redis.kill();
    await store.set('during', entry('D', Date.now() + 30_000));
    expect((await store.get('during'))?.body.toString()).toBe('D');
    expect((await store.get('before'))?.body.toString()).toBe('B');
    expect(await shared.get('never-written')).toBeUndefined();
    expect(errors.length).toBeGreaterThan(0);
    await redis.start();
  });
});
