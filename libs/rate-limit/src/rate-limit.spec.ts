import type { BffApp } from '@frontdoor/platform';
import { rawRequest, startRedis, type RedisServer } from '@frontdoor/testing';
import { MemoryWindowStorage } from './memory-window.storage';
import { startTrafficApp } from './rate-limit.test-app';
import type { RateLimitSettings } from './rate-limit.settings';

const plans = {
  free: { perSecond: 5, perDay: 3_000 },
  gold: { perSecond: 50, perDay: 100_000 },
  tiny: { perSecond: 100, perDay: 3 },
  slow: { perSecond: 2, perDay: 5 },
};
const settings = (app: string, redisUrl?: URL): RateLimitSettings => ({
  app,
  userRps: 10,
  anonRps: 4,
  partnerPlans: plans,
  redisUrl,
});

async function burst(base: string, path: string, n: number, headers: Record<string, string> = {}) {
  return Promise.all(Array.from({ length: n }, () => rawRequest(base, path, { headers: { ...headers } })));
}
const statuses = (responses: { status: number }[]) => responses.map((r) => r.status);
const count = (responses: { status: number }[], status: number) =>
  responses.filter((r) => r.status === status).length;

describe('rate limits in memory', () => {
  let app: BffApp;
  let base: string;
  beforeAll(async () => ({ app, base } = await startTrafficApp(settings('mem'))));
  afterAll(() => app.nest.close());

  it('N concurrent requests against limit L → exactly L pass, N−L get 429 with headers', async () => {
    const responses = await burst(base, '/t/a', 30, { 'x-test-principal': 'user:alice' });
    expect(count(responses, 200)).toBe(10);
    expect(count(responses, 429)).toBe(20);
    for (const r of responses) {
      expect(r.headers['ratelimit-limit']).toBe('10');
      expect(Number(r.headers['ratelimit-remaining'])).toBeGreaterThanOrEqual(0);
      expect(Number(r.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1);
    }
    const refused = responses.find((r) => r.status === 429);
    expect(refused?.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(refused?.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(refused?.body ?? '{}')).toMatchObject({
      type: 'urn:frontdoor:problem:rate-limited',
      status: 429,
    });
  });

  it('limits are per principal across the whole app, not per handler', async () => {
    const a = await burst(base, '/t/a', 6, { 'x-test-principal': 'user:bob' });
    const b = await burst(base, '/t/b', 6, { 'x-test-principal': 'user:bob' });
    expect(count(a, 200) + count(b, 200)).toBe(10);
    const other = await burst(base, '/t/b', 3, { 'x-test-principal': 'user:carol' });
    expect(statuses(other)).toEqual([200, 200, 200]);
  });

  it('partner limits follow the plan', async () => {
    const free = await burst(base, '/t/a', 12, { 'x-test-principal': 'partner:globex:free' });
    const gold = await burst(base, '/t/a', 12, { 'x-test-principal': 'partner:acme:gold' });
    expect(count(free, 200)).toBe(5);
    expect(count(gold, 200)).toBe(12);
  });

  it('a route may declare its own limit, in its own bucket', async () => {
    const responses = await burst(base, '/t/tight', 5, { 'x-test-principal': 'user:dave' });
    expect(count(responses, 200)).toBe(2);
    expect((await rawRequest(base, '/t/a', { headers: { 'x-test-principal': 'user:dave' } })).status).toBe(
      200,
    );
  });

  it('health, readiness and metrics are never limited', async () => {
    const responses = await burst(base, '/health/live', 20);
    expect(count(responses, 200)).toBe(20);
    expect(responses[0]?.headers['ratelimit-limit']).toBeUndefined();
    expect(count(await burst(base, '/metrics', 10), 200)).toBe(10);
  });

  it('anonymous callers are limited per client IP; a spoofed X-Forwarded-For from an untrusted peer changes nothing', async () => {
    const spoofed = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        rawRequest(base, '/t/b', { headers: { 'x-forwarded-for': `203.0.113.${i}` } }),
      ),
    );
    expect(count(spoofed, 200)).toBe(4);
  });
});

describe('TRUST_PROXY', () => {
  it('believes X-Forwarded-For from a trusted peer: each client gets its own bucket', async () => {
    const { app, base } = await startTrafficApp(settings('proxied'), [
      { address: '127.0.0.1', prefix: 32, family: 'ipv4' },
    ]);
    try {
      const clients = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          rawRequest(base, '/t/b', { headers: { 'x-forwarded-for': `198.51.100.${i}` } }),
        ),
      );
      expect(count(clients, 200)).toBe(8);
      // the right-most untrusted hop counts: a client prepending a fake address still lands in its own bucket
      const sameClient = await burst(base, '/t/b', 6, { 'x-forwarded-for': '10.0.0.1, 198.51.100.99' });
      expect(count(sameClient, 200)).toBe(4);
    } finally {
      await app.nest.close();
    }
  });
});

describe('partner daily quota', () => {
  let app: BffApp;
  let base: string;
  beforeAll(async () => ({ app, base } = await startTrafficApp(settings('quota'))));
  afterAll(() => app.nest.close());

  it('is enforced from the plan, with Retry-After until the next UTC day', async () => {
    const responses = [];
    for (let i = 0; i < 5; i++)
      responses.push(await rawRequest(base, '/t/a', { headers: { 'x-test-principal': 'partner:p1:tiny' } }));
    expect(statuses(responses)).toEqual([200, 200, 200, 429, 429]);
    expect(Number(responses[3]?.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(responses[3]?.headers['retry-after'])).toBeLessThanOrEqual(86_400);
    expect(JSON.parse(responses[3]?.body ?? '{}').detail).toMatch(/daily quota of 3/);
  });

  it('health and metrics consume no quota, for a partner either', async () => {
    const partner = { headers: { 'x-test-principal': 'partner:p3:tiny' } };
    for (let i = 0; i < 5; i++) {
      for (const path of ['/health/live', '/metrics']) {
        const res = await rawRequest(base, path, partner);
        expect(res.status).toBe(200);
        expect(res.headers['quota-limit']).toBeUndefined();
      }
    }
    const first = await rawRequest(base, '/t/a', partner);
    expect([first.status, first.headers['quota-remaining']]).toEqual([200, '2']); // the plan's 3, minus this one
  });

  it('requests refused by the rate limit do not consume quota, and usage is queryable', async () => {
    const responses = await burst(base, '/t/a', 10, { 'x-test-principal': 'partner:p2:slow' });
    expect(count(responses, 200)).toBe(2);
    await new Promise((r) => setTimeout(r, 1100)); // the next one-second window, so the query itself is not refused
    const usage = await rawRequest(base, '/t/usage', { headers: { 'x-test-principal': 'partner:p2:slow' } });
    // the usage query itself is a request and counts (3rd of the day); the 8 refused ones did not
    expect(JSON.parse(usage.body)).toMatchObject({
      partner: 'p2',
      plan: 'slow',
      used: 3,
      quota: 5,
      remaining: 2,
      perSecond: 2,
    });
  });

  it('a 429 decided after the quota guard gives its count back; a 200 still counts', async () => {
    const partner = { headers: { 'x-test-principal': 'partner:p4:gold' } };
    const usedNow = async () => JSON.parse((await rawRequest(base, '/t/usage', partner)).body).used as number;
    expect(await usedNow()).toBe(1); // the usage query itself counts
    for (let i = 0; i < 5; i++) {
      const refused = await rawRequest(base, '/t/busy', partner);
      expect([refused.status, refused.headers['retry-after']]).toEqual([429, '7']);
    }
    expect(await usedNow()).toBe(2); // the five 429s: nothing
    expect((await rawRequest(base, '/t/a', partner)).status).toBe(200);
    expect(await usedNow()).toBe(4); // the 200 and this query
  });

  it('a partner at its quota still gets the later 429s without losing a count (the quota 429 counted nothing)', async () => {
    const partner = { headers: { 'x-test-principal': 'partner:p5:tiny' } };
    expect(
      statuses([await rawRequest(base, '/t/a', partner), await rawRequest(base, '/t/busy', partner)]),
    ).toEqual([200, 429]);
    const rest = [];
    for (let i = 0; i < 4; i++) rest.push(await rawRequest(base, '/t/a', partner));
    // plan 3 a day: the busy 429 was refunded, so two more pass; the quota's own 429s take nothing to refund
    expect(statuses(rest)).toEqual([200, 200, 429, 429]);
  });
});

describe('MemoryWindowStorage', () => {
  it('stays bounded whatever the number of distinct keys', async () => {
    const storage = new MemoryWindowStorage(100, 60_000);
    for (let i = 0; i < 1_000; i++) await storage.increment(`k${i}`, 1000, 5);
    expect(storage.size).toBeLessThanOrEqual(100);
    storage.close();
  });

  it('costs O(1) per decision: a key with many hits answers like a fresh one', () => {
    const storage = new MemoryWindowStorage();
    const now = 1_000_000;
    for (let i = 0; i < 50_000; i++) storage.hit('busy', 60_000, 10, now);
    expect(storage.hit('busy', 60_000, 10, now)).toEqual({
      totalHits: 50_001,
      timeToExpire: 60,
      isBlocked: true,
      timeToBlockExpire: 60,
    });
    storage.close();
  });
});

describe('shared limits on Redis', () => {
  let redis: RedisServer;
  let one: { app: BffApp; base: string };
  let two: { app: BffApp; base: string };

  beforeAll(async () => {
    redis = await startRedis();
    one = await startTrafficApp(settings('shared', redis.url));
    two = await startTrafficApp(settings('shared', redis.url));
  });
  afterAll(async () => {
    await one?.app.nest.close();
    await two?.app.nest.close();
    await redis?.stop();
  });

  const acrossBoth = (principal: string, n: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        rawRequest(i % 2 ? one.base : two.base, '/t/a', { headers: { 'x-test-principal': principal } }),
      ),
    );

  it('two instances share one exact limit', async () => {
    const responses = await acrossBoth('user:shared-1', 30);
    expect(count(responses, 200)).toBe(10);
    expect(count(responses, 429)).toBe(20);
  });

  it('two instances share one exact daily quota', async () => {
    const responses = [];
    for (let i = 0; i < 6; i++)
      responses.push(
        await rawRequest(i % 2 ? one.base : two.base, '/t/a', {
          headers: { 'x-test-principal': 'partner:q-shared:tiny' },
        }),
      );
    expect(statuses(responses)).toEqual([200, 200, 200, 429, 429, 429]);
  });

  it('a 429 decided after the quota guard gives its count back to the shared daily quota', async () => {
    const partner = { headers: { 'x-test-principal': 'partner:q-refund:tiny' } };
    const busy = [];
    for (let i = 0; i < 6; i++) busy.push(await rawRequest(i % 2 ? one.base : two.base, '/t/busy', partner));
    expect(count(busy, 429)).toBe(6);
    const after = [];
    for (let i = 0; i < 4; i++) after.push(await rawRequest(i % 2 ? one.base : two.base, '/t/a', partner));
    expect(statuses(after)).toEqual([200, 200, 200, 429]);
  });

  it('Redis killed: answers keep coming without hanging, limits fall back per instance, readiness degrades; back: shared again', async () => {
    await redis.kill();
    const during = await Promise.all(
      Array.from({ length: 12 }, () =>
        rawRequest(one.base, '/t/a', { headers: { 'x-test-principal': 'user:outage' } }),
      ),
    );
    expect(count(during, 200)).toBe(10); // still limited, in process
    expect(count(during, 429)).toBe(2);
    const ready = await rawRequest(one.base, '/health/ready');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ checks: { 'rate-limit-store': 'degraded' } });
    const metrics = await rawRequest(one.base, '/metrics');
    expect(metrics.body).toMatch(/rate_limit_store_fallbacks_total\{app="shared"\} [1-9]/);
    expect(metrics.body).toMatch(/rate_limit_store_degraded\{app="shared"\} 1/);

    await redis.start();
    for (let i = 0; i < 60; i++) {
      const state = JSON.parse((await rawRequest(one.base, '/health/ready')).body) as {
        checks: Record<string, string>;
      };
      const state2 = JSON.parse((await rawRequest(two.base, '/health/ready')).body) as {
        checks: Record<string, string>;
      };
      if (state.checks['rate-limit-store'] === 'up' && state2.checks['rate-limit-store'] === 'up') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const after = await acrossBoth('user:after-outage', 30);
    expect(count(after, 200)).toBe(10);
  });
});
