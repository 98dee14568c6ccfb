import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { IDEMPOTENT_KEY, IdempotencyInterceptor, IdempotencyModule } from '@frontdoor/idempotency';
import type { BffApp } from '@frontdoor/platform';
import { faults, rawRequest, startStub, type Stub, type StubHandler } from '@frontdoor/testing';
import { UpstreamRegistry } from '@frontdoor/upstream';
import { passThroughController } from './pass-through.controller';
import type { PassThroughRoute } from './pass-through.route';
import { startPassThroughApp } from './testing/pass-through-app';

const ROUTES: readonly PassThroughRoute[] = [
  { method: 'GET', path: '/api/sales/orders', upstream: 'sales', target: '/orders', roles: ['sales'] },
  { method: 'POST', path: '/api/sales/orders', upstream: 'sales', target: '/orders', roles: ['sales'], bodyFields: ['item:string'], idempotencyKey: 'optional' },
  { method: 'POST', path: '/api/sales/quotes', upstream: 'sales', target: '/quotes', roles: ['sales'], bodyFields: ['item:string'], idempotencyKey: 'required' },
  { method: 'POST', path: '/api/sales/notes', upstream: 'sales', target: '/notes', roles: ['sales'], bodyFields: ['item:string'] },
];

describe('pass-through rows with idempotencyKey', () => {
  it('only rows that declare it carry the interceptor and its policy; the others have no interceptor at all', () => {
    const prototype = passThroughController('IdemController', ROUTES, Symbol('handler')).prototype as Record<string, object>;
    const bound = ROUTES.map((_row, i) => [
      Reflect.getMetadata(INTERCEPTORS_METADATA, prototype[`route${i}`] as object),
      Reflect.getMetadata(IDEMPOTENT_KEY, prototype[`route${i}`] as object),
    ]);
    expect(bound).toEqual([
      [undefined, undefined],
      [[IdempotencyInterceptor], 'optional'],
      [[IdempotencyInterceptor], 'required'],
      [undefined, undefined],
    ]);
  });

  it('an app that serves such rows without IdempotencyModule stops at start with a RouteTableError naming the first', async () => {
    const registry = new UpstreamRegistry([{ name: 'sales', urls: [new URL('http://127.0.0.1:9')], defaultDeadlineMs: 1000 }]);
    try {
      const started = startPassThroughApp({
        name: 'NoRecordsController',
        routes: ROUTES,
        roles: ['sales'],
        registry,
        cache: { cacheMaxEntries: 10, cacheMaxBytes: 1024, cacheStaleMaxS: 0 },
      });
      await expect(started).rejects.toThrow('route POST /api/sales/orders: idempotencyKey needs the app to import IdempotencyModule.forRoot');
    } finally {
      await registry.close();
    }
  });

  describe('on a real socket against a loopback upstream', () => {
    let sales: Stub;
    let behaviour: StubHandler;
    let registry: UpstreamRegistry;
    let app: BffApp;
    let base: string;
    let created = 0;

    /** Places an order per call and answers 202, so a replay shows the upstream status, not the POST default 201. */
    const placeOrder: StubHandler = (req, res, body) => faults.json(202, { id: `O-${++created}`, ...(JSON.parse(body) as object) })(req, res, body);

    beforeAll(async () => {
      sales = await startStub((req, res, body) => behaviour(req, res, body));
      registry = new UpstreamRegistry([
        { name: 'sales', urls: [new URL(sales.url)], defaultDeadlineMs: 1000, maxResponseBytes: 64 * 1024, retry: { maxAttempts: 1 }, breaker: { failures: 1000 } },
      ]);
      ({ app, base } = await startPassThroughApp({
        name: 'IdemPassThroughController',
        routes: ROUTES,
        roles: ['sales'],
        defaultRoles: ['sales'],
        registry,
        cache: { cacheMaxEntries: 10, cacheMaxBytes: 1e5, cacheStaleMaxS: 60 },
        imports: [IdempotencyModule.forRoot({ app: 't', waitMs: 1000, pendingTtlMs: 3000 })],
      }));
    });

    afterAll(async () => {
      await app?.nest.close();
      await registry?.close();
      await sales?.close();
    });

    beforeEach(() => {
      behaviour = placeOrder;
      sales.requests.length = 0;
    });

    const post = (path: string, key: string | undefined, body: unknown = { item: 'lamp' }) =>
      rawRequest(base, path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
        body: JSON.stringify(body),
      });

    it('replays the first answer with the upstream status, after one upstream call that carried a derived key', async () => {
      const first = await post('/api/sales/orders', 'row-key-0001');
      const again = await post('/api/sales/orders', 'row-key-0001');
      expect([first.status, again.status]).toEqual([202, 202]);
      expect(again.body).toBe(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(sales.requests).toHaveLength(1);
      expect(sales.requests[0]?.headers['idempotency-key']).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(sales.requests[0]?.headers['idempotency-key']).not.toContain('row-key-0001');
    });

    it('an optional row without the header calls the upstream every time, with no key', async () => {
      const answers = [await post('/api/sales/orders', undefined), await post('/api/sales/orders', undefined)];
      expect(answers.map((a) => a.status)).toEqual([202, 202]);
      expect(answers[1]?.headers['idempotent-replayed']).toBeUndefined();
      expect(sales.requests.map((r) => r.headers['idempotency-key'])).toEqual([undefined, undefined]);
    });

    it('a required row without the header is 400 problem+json before any upstream call', async () => {
      const res = await post('/api/sales/quotes', undefined);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body)).toMatchObject({ detail: expect.stringMatching(/requires an Idempotency-Key/) });
      expect(sales.requests).toHaveLength(0);
    });

    it('a row without idempotencyKey ignores the header and never forwards it', async () => {
      await post('/api/sales/notes', 'row-key-0002');
      await post('/api/sales/notes', 'row-key-0002');
      expect(sales.requests.map((r) => r.headers['idempotency-key'])).toEqual([undefined, undefined]);
    });

    it('a body the row refuses frees the key: the corrected request with it runs', async () => {
      expect((await post('/api/sales/orders', 'row-key-0003', { item: 'lamp', partnerId: 'acme' })).status).toBe(400);
      expect((await post('/api/sales/orders', 'row-key-0003')).status).toBe(202);
      expect(sales.requests).toHaveLength(1);
    });
  });
});
