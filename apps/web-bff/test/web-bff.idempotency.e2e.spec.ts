import {
  DEMO_CUSTOMER_IDS,
  DEMO_IDS,
  startDemoEstate,
  type DemoEstate,
  type RecordedRequest,
} from '@frontdoor/demo-estate';
import { rawRequest, startRedis, type RawResponse, type RedisServer } from '@frontdoor/testing';
import { startWebTestApp, type WebTestApp } from './web-test-app';

const UPSTREAM_KEY = /^[A-Za-z0-9_-]{43}$/;

/**
 * POST /api/sales/orders with and without an Idempotency-Key, end to end: the built web-bff on 127.0.0.1 against
 * the real demo estate (sales places real orders and records what it received), with real RS256 user tokens.
 */
describe('web-bff Idempotency-Key on POST /api/sales/orders', () => {
  let estate: DemoEstate;
  const tokens: Record<string, string> = {};

  const order = (quantity = 1, customerId: string = DEMO_IDS.customer) => ({
    customerId,
    items: [{ sku: DEMO_IDS.sku, quantity }],
  });
  const post = (base: string, user: string, body: unknown, key?: string) =>
    rawRequest(base, '/api/sales/orders', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens[user]}`,
        'content-type': 'application/json',
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      body: JSON.stringify(body),
    });
  const placed = (): RecordedRequest[] => estate.recorded('sales').filter((r) => r.method === 'POST');
  const idOf = (res: RawResponse) => (JSON.parse(res.body) as { id: string }).id;

  beforeAll(async () => {
    estate = await startDemoEstate();
    for (const sub of ['sally', 'sam']) tokens[sub] = await estate.issueToken({ sub, roles: ['sales'] });
    tokens['ada'] = await estate.issueToken({ sub: 'ada', roles: ['admin'] });
  });
  afterAll(async () => {
    await estate?.stop();
  });
  beforeEach(() => estate.clearRecorded());
  afterEach(() => estate.setFault('sales', {}));

  describe('one instance, records in memory', () => {
    let t: WebTestApp;
    let base: string;

    beforeAll(async () => {
      t = await startWebTestApp({ estate, env: { BREAKER_FAILURES: '1000' } });
      base = t.base;
    });
    afterAll(async () => t?.close());

    it('the same key and body twice: one order upstream, the same answer and status both times', async () => {
      const first = await post(base, 'sally', order(), 'web-key-same-0001');
      const again = await post(base, 'sally', order(), 'web-key-same-0001');
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.body).toBe(first.body);
      expect(JSON.parse(first.body)).toMatchObject({ customerId: DEMO_IDS.customer, status: 'pending' });
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(again.headers['idempotent-replayed']).toBe('true');
      // the row's Cache-Control (no-store: nothing may keep an order) comes back with the replayed answer
      expect([first.headers['cache-control'], again.headers['cache-control']]).toEqual([
        'no-store',
        'no-store',
      ]);
      expect(placed()).toHaveLength(1);
    });

    it('the upstream sees a key derived from the client key, never the client key itself', async () => {
      await post(base, 'sally', order(), 'web-key-derived-0001');
      const sent = placed()[0]?.headers['idempotency-key'];
      expect(sent).toMatch(UPSTREAM_KEY);
      expect(sent).not.toContain('web-key-derived-0001');
    });

    it('the same key with another body is a 422 problem, and nothing more is placed', async () => {
      expect((await post(base, 'sally', order(1), 'web-key-other-0001')).status).toBe(201);
      const other = await post(base, 'sally', order(2), 'web-key-other-0001');
      expect(other.status).toBe(422);
      expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(other.body)).toMatchObject({
        type: 'urn:frontdoor:problem:unprocessable-content',
        status: 422,
      });
      expect(placed()).toHaveLength(1);
    });

    it('without a key, two submits place two orders, as before', async () => {
      const first = await post(base, 'sally', order());
      const again = await post(base, 'sally', order());
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(idOf(again)).not.toBe(idOf(first));
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      expect(placed().map((r) => r.headers['idempotency-key'])).toEqual([undefined, undefined]);
    });

    it.each([
      ['too short', 'short'],
      ['with a space', 'has space in it'],
      ['longer than 255 characters', 'k'.repeat(256)],
      ['empty', ''],
    ])('a malformed key (%s) is a 400 problem and reaches no upstream', async (_label, key) => {
      const res = await post(base, 'sally', order(), key);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body)).toMatchObject({
        status: 400,
        detail: 'An Idempotency-Key header must be 8 to 255 visible ASCII characters.',
      });
      expect(placed()).toHaveLength(0);
    });

    it('two users with the same key do not meet: each places an order of their own', async () => {
      const sally = await post(base, 'sally', order(), 'web-key-shared-0001');
      const sam = await post(base, 'sam', order(), 'web-key-shared-0001');
      expect([sally.status, sam.status]).toEqual([201, 201]);
      expect(idOf(sam)).not.toBe(idOf(sally));
      expect(sam.headers['idempotent-replayed']).toBeUndefined();
      const [toSales, toSalesForSam] = placed().map((r) => r.headers['idempotency-key']);
      expect(toSales).toMatch(UPSTREAM_KEY);
      expect(toSalesForSam).toMatch(UPSTREAM_KEY);
      expect(toSalesForSam).not.toBe(toSales);
    });

    it('a double submit (concurrent duplicates) places one order and every answer is it', async () => {
      estate.setFault('sales', { latencyMs: 300 }); // the duplicates arrive while the first is at sales
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => post(base, 'sally', order(), 'web-key-double-0001')),
      );
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(answers.map((a) => a.body)).size).toBe(1);
      expect(placed()).toHaveLength(1);
    });

    it('a failed first attempt frees the key: the retry with it places the order', async () => {
      estate.setFault('sales', { errorRate: 1 });
      expect((await post(base, 'sally', order(), 'web-key-failed-0001')).status).toBe(502);
      estate.setFault('sales', {});
      const retry = await post(base, 'sally', order(), 'web-key-failed-0001');
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
    });

    it('a duplicate that waited for a first attempt which then failed runs with what is left of the deadline, not a deadline of its own', async () => {
      estate.setFault('sales', { mode: 'hang' }); // every attempt runs into the row's 1500 ms deadline
      const started = Date.now();
      const first = post(base, 'sally', order(), 'web-key-waited-0001');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const duplicate = await post(base, 'sally', order(), 'web-key-waited-0001');
      const duplicateDoneMs = Date.now() - started;
      expect((await first).status).toBe(504);
      // it waited ~1200 ms for the first attempt, won the key when that failed, and had ~300 ms left: 504 at ~1.5 s
      // from the first's start, not at ~1.5 s + a whole deadline of its own (~3 s: the fuzz audit measured 5.7 s at 3 s)
      expect(duplicate.status).toBe(504);
      expect(duplicateDoneMs).toBeGreaterThanOrEqual(1400);
      expect(duplicateDoneMs).toBeLessThan(2300);
      expect(placed()).toHaveLength(2); // both attempts reached sales: the first, then the duplicate with what was left
    });

    it('a retry after a 504 (sales placed the order after the gateway gave up) gets that order, not a second one', async () => {
      const customerId = DEMO_CUSTOMER_IDS[41] as string;
      const ordersOf = async () => {
        const res = await rawRequest(base, `/api/sales/orders?customerId=${customerId}&limit=1`, {
          headers: { authorization: `Bearer ${tokens['ada']}` },
        });
        return JSON.parse(res.body) as { total: number; items: { id: string }[] };
      };
      const before = (await ordersOf()).total;
      estate.setFault('sales', { answerDelayMs: 2500 }); // longer than the row's 1500 ms deadline
      expect((await post(base, 'sally', order(1, customerId), 'web-key-unknown-0001')).status).toBe(504);
      estate.setFault('sales', {});
      const retry = await post(base, 'sally', order(1, customerId), 'web-key-unknown-0001');
      expect(retry.status).toBe(201);
      const after = await ordersOf();
      expect(after.total).toBe(before + 1);
      expect(idOf(retry)).toBe(after.items[0]?.id);
      const [first, second] = placed().map((r) => r.headers['idempotency-key']);
      expect(second).toBe(first); // the same upstream key both times: sales answered the order it had placed
    });
  });

  describe('two instances sharing records in Redis (REDIS_URL)', () => {
    let redis: RedisServer;
    const instances: WebTestApp[] = [];
    const bases: string[] = [];

    beforeAll(async () => {
      redis = await startRedis();
      for (let i = 0; i < 2; i++) {
        const instance = await startWebTestApp({ estate, env: { REDIS_URL: redis.url.toString() } });
        instances.push(instance);
        bases.push(instance.base);
      }
    });
    afterAll(async () => {
      for (const instance of instances) await instance.close();
      await redis?.stop();
    });

    it('a retry on the other instance gets the first answer; one order upstream', async () => {
      const [one, two] = bases as [string, string];
      const first = await post(one, 'sam', order(), 'web-key-redis-0001');
      const again = await post(two, 'sam', order(), 'web-key-redis-0001');
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.body).toBe(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(placed()).toHaveLength(1);
    });
  });
});
