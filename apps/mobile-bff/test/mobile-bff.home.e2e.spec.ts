import {
  SERVICE_NAMES,
  customerIdOfSubject,
  seedCustomers,
  seedOrders,
  seedProducts,
} from '@frontdoor/demo-estate';
import { startMobileTestApp, type MobileTestApp } from './mobile-test-app';

const ORDERS = seedOrders(seedProducts());
const ordersOf = (sub: string) => ORDERS.filter((o) => o.customerId === customerIdOfSubject(sub)).reverse();
/** A demo user whose linked customer has several orders, some of them open: every part of the screen has content. */
const SUBJECT = Array.from({ length: 500 }, (_, i) => `user-${i}`).find(
  (sub) =>
    ordersOf(sub).length >= 3 && ordersOf(sub).some((o) => o.status === 'pending' || o.status === 'paid'),
) as string;

interface Home {
  featured: Record<string, unknown>[];
  customer: { name: string } | null;
  recentOrders:
    | { id: string; status: string; total: number; currency: string; createdAt: string; lines: number }[]
    | null;
  counts: { orders: number; openOrders: number } | null;
  degraded?: { reason: string; missing: string[] };
}

/** The mobile home screen end to end, against the demo estate with gateway verification on. */
describe('mobile-bff home e2e', () => {
  let t: MobileTestApp;
  let token: string;

  beforeAll(async () => {
    // no retries and no circuit opening: each fault below is seen exactly as injected, whatever ran before
    t = await startMobileTestApp({ env: { RETRY_MAX_ATTEMPTS: '1', BREAKER_FAILURES: '1000' } });
    token = await t.estate.issueToken({ sub: SUBJECT, roles: ['sales'] });
  });

  afterAll(async () => t?.close());

  afterEach(async () => {
    for (const service of ['inventory', 'sales', 'customers'] as const) {
      t.estate.setFault(service, {});
      await t.estate.startService(service);
    }
  });

  const getHome = (headers: Record<string, string> = {}) =>
    fetch(`${t.base}/api/home`, { headers: { authorization: `Bearer ${token}`, ...headers } });

  it('answers featured products, the user’s account, latest orders and counts in one round trip', async () => {
    const res = await getHome();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-degraded')).toBeNull();
    const home = (await res.json()) as Home;
    expect(Object.keys(home).sort()).toEqual(['counts', 'customer', 'featured', 'recentOrders']);
    expect(home.featured.length).toBeGreaterThan(0);
    for (const item of home.featured)
      expect(Object.keys(item).sort()).toEqual(['currency', 'name', 'price', 'sku', 'thumbnail']);
    const mine = ordersOf(SUBJECT);
    const linked = seedCustomers().find((c) => c.id === customerIdOfSubject(SUBJECT));
    expect(home.customer).toEqual({ name: linked?.name });
    expect(home.recentOrders?.map((o) => o.id)).toEqual(mine.slice(0, 5).map((o) => o.id));
    expect(home.recentOrders?.[0]).toEqual({
      id: mine[0]?.id,
      status: mine[0]?.status,
      total: mine[0]?.total,
      currency: 'EUR',
      createdAt: mine[0]?.createdAt,
      lines: mine[0]?.items.length,
    });
    expect(home.counts).toEqual({
      orders: mine.length,
      openOrders: mine.filter((o) => o.status === 'pending' || o.status === 'paid').length,
    });
  });

  it('never shows what the upstreams hold back (credit score, contact data, cost prices, other customers)', async () => {
    const text = await (await getHome()).text();
    expect(text).not.toMatch(
      /creditScore|email|phone|street|costPrice|internalNotes|contactEmail|customerId|partnerId|unitPrice|description/,
    );
  });

  it('replaces at least three upstream round trips, across three services', async () => {
    t.estate.clearRecorded();
    expect((await getHome({ 'x-request-id': 'home-round-trips-1' })).status).toBe(200);
    const calls = SERVICE_NAMES.flatMap((service) =>
      t.estate
        .recorded(service)
        .filter((r) => r.headers['x-request-id'] === 'home-round-trips-1')
        .map((r) => `${service} ${r.path}`),
    );
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(new Set(calls.map((c) => c.split(' ')[0]))).toEqual(new Set(['inventory', 'customers', 'sales']));
  });

  it('shows the token subject’s own account only: another user gets another screen', async () => {
    const other = Array.from({ length: 50 }, (_, i) => `other-${i}`).find(
      (sub) => customerIdOfSubject(sub) !== customerIdOfSubject(SUBJECT),
    ) as string;
    const res = await fetch(`${t.base}/api/home`, {
      headers: { authorization: `Bearer ${await t.estate.issueToken({ sub: other, roles: ['hr'] })}` },
    });
    const home = (await res.json()) as Home;
    expect(home.recentOrders?.map((o) => o.id)).toEqual(
      ordersOf(other)
        .slice(0, 5)
        .map((o) => o.id),
    );
  });

  it.each([
    [
      'customers stopped',
      ['customer', 'recentOrders', 'counts'],
      async () => t.estate.stopService('customers'),
    ],
    [
      'customers slower than the budget',
      ['customer', 'recentOrders', 'counts'],
      async () => t.estate.setFault('customers', { latencyMs: 3000 }),
    ],
    ['sales stopped', ['recentOrders', 'counts'], async () => t.estate.stopService('sales')],
    [
      'sales answering garbage',
      ['recentOrders', 'counts'],
      async () => t.estate.setFault('sales', { mode: 'garbage' }),
    ],
  ])('%s → 200, X-Degraded: partial, without %j', async (_label, missing, breakIt) => {
    await breakIt();
    const res = await getHome();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-degraded')).toBe('partial');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const home = (await res.json()) as Home;
    expect(home.degraded).toEqual({ reason: 'partial', missing });
    expect(home.featured.length).toBeGreaterThan(0);
  });

  it.each([
    ['stopped', 503, async () => t.estate.stopService('inventory')],
    ['slow', 504, async () => t.estate.setFault('inventory', { latencyMs: 3000 })],
  ])(
    'inventory %s fails the screen with %d (featured products are required), naming no host',
    async (_label, status, breakIt) => {
      await breakIt();
      const res = await getHome();
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.text()).not.toMatch(/127\.0\.0\.1|localhost|http:/);
    },
  );

  it.each([
    ['anonymous', 401, undefined],
    ['a token without any user role', 403, [] as string[]],
  ])('%s is %d', async (_label, status, roles) => {
    const headers: Record<string, string> =
      roles === undefined
        ? {}
        : { authorization: `Bearer ${await t.estate.issueToken({ sub: SUBJECT, roles })}` };
    expect((await fetch(`${t.base}/api/home`, { headers })).status).toBe(status);
  });
});
