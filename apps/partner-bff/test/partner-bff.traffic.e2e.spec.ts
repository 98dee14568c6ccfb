import { RedisApiKeyStore, createKey } from '@frontdoor/auth';
import { loadConfig } from '@frontdoor/config';
import { DEMO_PARTNERS, estateEnv, startDemoEstate, type DemoEstate } from '@frontdoor/demo-estate';
import type { BffApp } from '@frontdoor/platform';
import { RedisConnection } from '@frontdoor/redis';
import { rawRequest, startRedis, type RedisServer } from '@frontdoor/testing';
import { createPartnerBff } from '../src/app/create-partner-bff';
import { partnerSchema } from '../src/app/partner.config';

/**
 * Partner traffic control across two partner-bff instances sharing one real Redis: exact plan limits, daily
 * quotas that refused requests do not consume, usage as the portal reads it, and Redis dying mid-test.
 */
describe('partner-bff plans and quotas on Redis, two instances', () => {
  let estate: DemoEstate;
  let redis: RedisServer;
  let one: BffApp;
  let two: BffApp;
  let bases: string[];
  const keyOf = (partner: 'acme' | 'globex') => DEMO_PARTNERS.find((p) => p.partnerId === partner)?.apiKey as string;
  const seed = async () => {
    const seeding = new RedisConnection(redis.url, 'seed');
    await seeding.waitUntilReady(2000);
    for (const { partnerId, plan, apiKey } of DEMO_PARTNERS) await createKey(new RedisApiKeyStore(seeding.client), { partnerId, plan, key: apiKey });
    await seeding.close();
  };

  beforeAll(async () => {
    estate = await startDemoEstate();
    redis = await startRedis();
    await seed();
    const env = { ...estateEnv(estate), REDIS_URL: redis.url.toString(), PARTNER_PLANS: 'free:5:12,gold:50:100000' };
    one = await createPartnerBff(loadConfig(partnerSchema, env));
    two = await createPartnerBff(loadConfig(partnerSchema, env));
    bases = [];
    for (const app of [one, two]) {
      await app.nest.listen(0, '127.0.0.1');
      bases.push(await app.nest.getUrl());
    }
    estate.trustGateways(bases.map((b) => `${b}/.well-known/jwks.json`));
  });
  afterAll(async () => {
    await one?.nest.close();
    await two?.nest.close();
    await redis?.stop();
    await estate?.stop();
  });

  const across = (n: number, partner: 'acme' | 'globex', path = '/v1/products?limit=1') =>
    Promise.all(Array.from({ length: n }, (_, i) => rawRequest(bases[i % 2] as string, path, { headers: { 'x-api-key': keyOf(partner) } })));
  const count = (answers: { status: number }[], status: number) => answers.filter((a) => a.status === status).length;
  const nextSecond = () => new Promise((r) => setTimeout(r, 1100));

  it('the free plan (5 r/s) lets exactly 5 of 20 concurrent requests through across both instances', async () => {
    const answers = await across(20, 'globex');
    // compared whole, so that a failure shows every status (a clean-clone CI run once saw 7 answers neither 200 nor 429)
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(5).fill(200), ...Array(15).fill(429)]);
    expect(answers.find((a) => a.status === 200)?.headers['ratelimit-limit']).toBe('5');
  });

  it('refused requests do not consume the daily quota; usage shows the real count; past the quota → 429 until tomorrow', async () => {
    await nextSecond();
    const usage = JSON.parse((await rawRequest(bases[0] as string, '/v1/usage', { headers: { 'x-api-key': keyOf('globex') } })).body);
    // 5 from the burst above (its 15 refusals did not count) + this query
    expect(usage).toMatchObject({ partner: 'globex', plan: 'free', used: 6, quota: 12, perSecond: 5 });
    await nextSecond();
    expect(count(await across(5, 'globex'), 200)).toBe(5); // 11 used
    await nextSecond();
    const last = await across(4, 'globex');
    expect(count(last, 200)).toBe(1); // the 12th
    const refused = last.find((a) => a.status === 429);
    expect(JSON.parse(refused?.body ?? '{}').detail).toMatch(/daily quota of 12/);
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
    // gold is unaffected
    expect(count(await across(10, 'acme'), 200)).toBe(10);
  });

  it('Redis killed: answers keep coming, limits fall back per instance, readiness degrades; Redis back: shared again', async () => {
    // acme's key verified on both instances just before (their cache keeps it 5 s): this test does not rely on the
    // previous one having done so, and can run alone
    expect(count(await across(2, 'acme'), 200)).toBe(2);
    await redis.kill();
    await nextSecond();
    const started = Date.now();
    const during = await across(20, 'acme');
    expect(Date.now() - started).toBeLessThan(5000);
    // API keys answered from the verified-key cache; limits kept in process (gold: 50 r/s per instance)
    expect(count(during, 200)).toBe(20);
    const ready = JSON.parse((await rawRequest(bases[0] as string, '/health/ready')).body);
    expect(ready.checks).toMatchObject({ 'rate-limit-store': 'degraded', 'api-key-store': 'degraded' });
    await redis.start();
    // both Redis connections of each instance back (limits and keys: a key lookup on a connection still reconnecting
    // would answer 503 below)
    let states: string[] = [];
    for (let i = 0; i < 50; i++) {
      const checks = await Promise.all(bases.map(async (b) => JSON.parse((await rawRequest(b, '/health/ready')).body).checks));
      states = checks.flatMap((c) => [c['rate-limit-store'], c['api-key-store']]);
      if (states.every((s) => s === 'up')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(states).toEqual(['up', 'up', 'up', 'up']);
    // this test Redis keeps nothing across a restart (a real one persists): put the keys back
    await seed();
    await nextSecond();
    const after = await across(20, 'globex');
    expect(count(after, 200)).toBe(5); // one shared limit again, not 5 per instance
  });
});
