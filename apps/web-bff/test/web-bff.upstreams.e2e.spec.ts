import { DEMO_IDS } from '@frontdoor/demo-estate';
import { rawRequest, startStub, type Stub } from '@frontdoor/testing';
import { XMLParser } from 'fast-xml-parser';
import { startWebTestApp, type WebTestApp } from './web-test-app';

/**
 * Issue 5 end to end: the dashboard aggregation, the pass-through tables and content negotiation of the built
 * web-bff, against the real demo estate (which accepts only calls this BFF signed) and real user tokens.
 */
describe('web-bff upstreams e2e: dashboard, pass-through, negotiation', () => {
  let t: WebTestApp;
  const tokens: Record<string, string> = {};
  const as = (role: string, headers: Record<string, string> = {}) => ({
    authorization: `Bearer ${tokens[role]}`,
    ...headers,
  });
  const get = (path: string, role: string, headers: Record<string, string> = {}) =>
    rawRequest(t.base, path, { headers: as(role, headers) });

  beforeAll(async () => {
    t = await startWebTestApp({ env: { ROUTE_DEADLINE_MS: '1000', BREAKER_FAILURES: '1000' } });
    for (const role of ['admin', 'sales', 'finance', 'hr', 'warehouse'])
      tokens[role] = await t.estate.issueToken({ sub: `${role}-user`, roles: [role] });
  });
  afterAll(async () => t?.close());
  afterEach(async () => {
    for (const service of ['inventory', 'sales', 'payroll', 'hr'] as const) {
      t.estate.setFault(service, {});
      await t.estate.startService(service);
    }
  });

  describe('GET /api/dashboard', () => {
    it('answers every part, not degraded', async () => {
      const res = await get('/api/dashboard', 'sales');
      expect(res.status).toBe(200);
      expect(res.headers['x-degraded']).toBeUndefined();
      const body = JSON.parse(res.body) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['recentOrders', 'sales', 'stockAlerts']);
      expect(body['recentOrders']).toHaveLength(10);
      expect((body['stockAlerts'] as unknown[]).length).toBeGreaterThan(0);
      expect(res.body).not.toMatch(/costPrice|internalNotes|unitPrice|referenceDate/);
    });

    it.each([
      ['inventory stopped', async () => t.estate.stopService('inventory')],
      [
        'inventory slower than its share of the budget',
        async () => t.estate.setFault('inventory', { latencyMs: 2000 }),
      ],
      ['inventory answering garbage', async () => t.estate.setFault('inventory', { mode: 'garbage' })],
    ])('%s → 200 partial without stock alerts', async (_label, breakIt) => {
      await breakIt();
      const res = await get('/api/dashboard', 'finance');
      expect(res.status).toBe(200);
      expect(res.headers['x-degraded']).toBe('partial');
      expect(res.headers['cache-control']).toBe('no-store');
      const body = JSON.parse(res.body) as Record<string, unknown>;
      expect(body['stockAlerts']).toBeNull();
      expect(body['recentOrders']).toHaveLength(10);
      expect(body['degraded']).toEqual({ reason: 'partial', missing: ['stockAlerts'] });
    });

    it.each([
      ['stopped', 503, async () => t.estate.stopService('sales')],
      ['failing', 502, async () => t.estate.setFault('sales', { errorRate: 1 })],
      ['slow', 504, async () => t.estate.setFault('sales', { latencyMs: 3000 })],
    ])('sales %s (the required summary) → %d problem', async (_label, status, breakIt) => {
      await breakIt();
      const res = await get('/api/dashboard', 'admin');
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body)).toMatchObject({ status, detail: expect.stringMatching(/^sales /) });
    });

    it('is per-user business data: Cache-Control: no-store, once', async () => {
      const res = await get('/api/dashboard', 'sales');
      expect([res.status, res.headers['cache-control']]).toEqual([200, 'no-store']);
    });

    it.each([['hr'], ['warehouse']])('is closed to %s (403)', async (role) => {
      expect((await get('/api/dashboard', role)).status).toBe(403);
    });

    it('answers XML to a client that asks for it', async () => {
      const res = await get('/api/dashboard', 'sales', { accept: 'application/xml' });
      expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
      const doc = new XMLParser({ parseTagValue: false }).parse(res.body) as {
        dashboard: { recentOrders: { recentOrder: unknown[] } };
      };
      expect(doc.dashboard.recentOrders.recentOrder).toHaveLength(10);
    });
  });

  describe('employee profile on the aggregation lib', () => {
    it.each([['hr'], ['finance']])(
      'is personal data, never cached: Cache-Control: no-store for %s',
      async (role) => {
        const res = await get(`/api/employees/${DEMO_IDS.employee}`, role);
        expect([res.status, res.headers['cache-control']]).toEqual([200, 'no-store']);
      },
    );

    it('payroll down: the profile of a finance user answers without salary, marked partial', async () => {
      await t.estate.stopService('payroll');
      const res = await get(`/api/employees/${DEMO_IDS.employee}`, 'finance');
      expect(res.status).toBe(200);
      expect(res.headers['x-degraded']).toBe('partial');
      const body = JSON.parse(res.body) as Record<string, unknown>;
      expect(body['salary']).toBeUndefined();
      expect(body['degraded']).toEqual({ reason: 'partial', missing: ['salary'] });
      // the route's no-store and the degraded answer's are one header, not two
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });

  describe('pass-through rows', () => {
    it('payroll rows answer JSON translated from XML, ids exact, bank details never', async () => {
      const res = await get(`/api/payroll/salaries/${DEMO_IDS.employee}`, 'finance');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = JSON.parse(res.body) as { salary: Record<string, string> };
      expect(body.salary).toMatchObject({
        employeeId: 'E0001',
        currency: 'EUR',
        base: expect.stringMatching(/^\d+(\.\d+)?$/),
      });
      expect(res.body).not.toMatch(/bankAccount|iban/);
      const batch = JSON.parse(
        (await get('/api/payroll/salaries?employeeIds=E0001,E0002', 'admin')).body,
      ) as { salaries: { salary: unknown[] } };
      expect(batch.salaries.salary).toHaveLength(2);
    });

    it('answers an empty salary list, not an empty string, when no employee matches', async () => {
      const res = await get('/api/payroll/salaries?employeeIds=E9999', 'finance');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ salaries: { salary: [] } });
      const xml = await get('/api/payroll/salaries?employeeIds=E9999', 'finance', {
        accept: 'application/xml',
      });
      expect(xml.body).toBe(
        '<?xml version="1.0" encoding="UTF-8"?><salaries><salaries><salary></salary></salaries></salaries>',
      );
    });

    it.each([
      ['/api/inventory/products/SKU-00001', 'warehouse', /costPrice|internalNotes|contactEmail/],
      ['/api/inventory/products?limit=3', 'sales', /costPrice|internalNotes|contactEmail/],
      ['/api/hr/employees/E0001', 'hr', /nationalId|homeNotes/],
      ['/api/hr/employees?limit=3', 'admin', /nationalId|homeNotes/],
    ])('%s (as %s) never passes internal fields', async (path, role, internal) => {
      const res = await get(path, role);
      expect(res.status).toBe(200);
      expect(res.body).not.toMatch(internal);
    });

    it.each([
      ['/api/payroll/salaries/E0001', 'hr'],
      ['/api/payroll/salaries/E0001', 'sales'],
      ['/api/hr/employees/E0001', 'warehouse'],
      ['/api/inventory/stock/alerts', 'sales'],
    ])('%s is closed to %s (403, nothing sent upstream)', async (path, role) => {
      t.estate.clearRecorded();
      expect((await get(path, role)).status).toBe(403);
      for (const service of ['payroll', 'hr', 'inventory'] as const)
        expect(t.estate.recorded(service).filter((r) => r.path !== '/health')).toHaveLength(0);
    });

    it('places an order (201) once, and passes on a plain 422 detail', async () => {
      const post = (body: unknown) =>
        rawRequest(t.base, '/api/sales/orders', {
          method: 'POST',
          headers: as('sales', { 'content-type': 'application/json' }),
          body: JSON.stringify(body),
        });
      t.estate.clearRecorded();
      const created = await post({
        customerId: DEMO_IDS.customer,
        items: [{ sku: DEMO_IDS.sku, quantity: 1 }],
      });
      expect(created.status).toBe(201);
      expect(JSON.parse(created.body)).toMatchObject({ customerId: DEMO_IDS.customer, status: 'pending' });
      expect(t.estate.recorded('sales').filter((r) => r.method === 'POST')).toHaveLength(1);
      const rejected = await post({
        customerId: DEMO_IDS.customer,
        items: [{ sku: DEMO_IDS.unknownSku, quantity: 1 }],
      });
      expect(rejected.status).toBe(422);
      expect(JSON.parse(rejected.body)).toMatchObject({
        detail: `sales rejected the request: items[0].sku ${DEMO_IDS.unknownSku} is not a known product`,
      });
    });

    it("refuses an order body with a field the row does not name (a partner's partnerId): 400, nothing placed", async () => {
      t.estate.clearRecorded();
      const res = await rawRequest(t.base, '/api/sales/orders', {
        method: 'POST',
        headers: as('sales', { 'content-type': 'application/json' }),
        body: JSON.stringify({
          customerId: DEMO_IDS.customer,
          partnerId: 'acme',
          items: [{ sku: DEMO_IDS.sku, quantity: 1 }],
        }),
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({
        status: 400,
        detail: 'The request body has fields this route does not accept: "partnerId".',
      });
      expect(t.estate.recorded('sales').filter((r) => r.method === 'POST')).toHaveLength(0);
    });

    it.each([
      [
        "a line's unitPrice and partnerId",
        {
          customerId: DEMO_IDS.customer,
          items: [{ sku: DEMO_IDS.sku, quantity: 1, unitPrice: 0.01, partnerId: 'acme' }],
        },
        'The request body has fields this route does not accept: "items[0].unitPrice", "items[0].partnerId".',
      ],
      [
        'lines given as an object',
        { customerId: DEMO_IDS.customer, items: { sku: DEMO_IDS.sku, quantity: 1, unitPrice: 0.01 } },
        'The request body field "items" must be an array of objects.',
      ],
      [
        'an operator object for the customer',
        { customerId: { $ne: '' }, items: [{ sku: DEMO_IDS.sku, quantity: 1 }] },
        'The request body field "customerId" must be a string.',
      ],
      ['no field at all (the row marks them required)', {}, 'The request body lacks required fields: "customerId", "items".'],
      [
        'a line without its quantity',
        { customerId: DEMO_IDS.customer, items: [{ sku: DEMO_IDS.sku }] },
        'The request body lacks required fields: "items[0].quantity".',
      ],
      [
        'a quantity as a string',
        { customerId: DEMO_IDS.customer, items: [{ sku: DEMO_IDS.sku, quantity: '1' }] },
        'The request body field "items[0].quantity" must be an integer.',
      ],
    ])('refuses an order body with %s (400, nothing placed)', async (_label, order, detail) => {
      t.estate.clearRecorded();
      const res = await rawRequest(t.base, '/api/sales/orders', {
        method: 'POST',
        headers: as('sales', { 'content-type': 'application/json' }),
        body: JSON.stringify(order),
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ status: 400, detail });
      expect(t.estate.recorded('sales').filter((r) => r.method === 'POST')).toHaveLength(0);
    });

    it('refuses an order POST without a body or Content-Type itself (400), sending nothing to sales', async () => {
      t.estate.clearRecorded();
      const res = await rawRequest(t.base, '/api/sales/orders', { method: 'POST', headers: as('sales') });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({
        status: 400,
        detail: 'This route requires a JSON request body.',
      });
      expect(t.estate.recorded('sales').filter((r) => r.method === 'POST')).toHaveLength(0);
    });

    it('refuses a repeated query parameter with a 400 naming it, instead of forwarding its first value', async () => {
      t.estate.clearRecorded();
      const res = await get('/api/inventory/products?limit=1&limit=2&tag=x&tag=y', 'sales');
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({
        type: 'urn:frontdoor:problem:validation-failed',
        errors: ['limit must be given once', 'tag must be given once'],
      });
      expect(t.estate.recorded('inventory').filter((r) => r.path !== '/health')).toHaveLength(0);
    });

    it('406 for an Accept it cannot meet', async () => {
      const res = await get('/api/inventory/products/SKU-00001', 'warehouse', { accept: 'text/csv' });
      expect(res.status).toBe(406);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('406 only after authentication and roles (STYLE.md order: 401, 403, then 406), and the upstream is not called', async () => {
      const path = '/api/hr/employees/E0001';
      const before = t.estate.recorded('hr').length;
      const anonymous = await rawRequest(t.base, path, { headers: { accept: 'text/csv' } });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
      const badToken = await rawRequest(t.base, path, {
        headers: { accept: 'text/csv', authorization: 'Bearer not-a-token' },
      });
      expect(badToken.status).toBe(401);
      const wrongRole = await get(path, 'sales', { accept: 'text/csv' });
      expect(wrongRole.status).toBe(403);
      const allowed = await get(path, 'hr', { accept: 'text/csv' });
      expect(allowed.status).toBe(406);
      expect(JSON.parse(allowed.body)).toMatchObject({
        type: 'urn:frontdoor:problem:not-acceptable',
        status: 406,
      });
      expect(t.estate.recorded('hr').length).toBe(before);
    });

    it.each([
      '/api/inventory/products/%2e%2e%2f..%2fpayroll%2fsalaries%2fE0001',
      '/api/inventory/products/..;/..;/payroll/salaries/E0001',
      '/api/inventory/products/..\\..\\payroll',
      '/api/hr/employees/E0001%00',
      '/api/hr//employees/E0001',
    ])('%s is refused (400) and reaches no backend', async (path) => {
      t.estate.clearRecorded();
      const res = await rawRequest(t.base, path, { headers: as('admin') });
      expect(res.status).toBe(400);
      for (const service of ['inventory', 'hr', 'payroll', 'sales'] as const)
        expect(t.estate.recorded(service).filter((r) => r.path !== '/health')).toHaveLength(0);
    });
  });
});

/** Aggregation latency: three parts, each delayed, run at once (ordering of events, not wall-clock thresholds). */
describe('web-bff dashboard runs its parts in parallel', () => {
  let t: WebTestApp;
  let sales: Stub;
  let inventory: Stub;
  const events: string[] = [];
  const delayed =
    (body: (path: string) => unknown) => (req: { url?: string }, res: import('node:http').ServerResponse) => {
      const path = (req.url ?? '').split('?')[0] as string;
      events.push(`received ${path}`);
      setTimeout(() => {
        events.push(`answered ${path}`);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body(path)));
      }, 300);
    };

  beforeAll(async () => {
    sales = await startStub(
      delayed((path) =>
        path === '/summary'
          ? {
              currency: 'EUR',
              referenceDate: 'r',
              today: { orders: 1, revenue: 1 },
              last7Days: { orders: 1, revenue: 1 },
              last30Days: { orders: 1, revenue: 1 },
              byStatus: {},
            }
          : { items: [] },
      ),
    );
    inventory = await startStub(delayed(() => ({ items: [] })));
    // the estate is not told to trust this app: its services keep answering anyone
    t = await startWebTestApp({
      env: {
        UPSTREAM_SALES_URL: sales.url,
        UPSTREAM_INVENTORY_URL: inventory.url,
        ROUTE_DEADLINE_MS: '2000',
      },
      trusted: false,
    });
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([sales?.close(), inventory?.close()]);
  });

  it('all three upstream calls are made before the first one answers', async () => {
    const token = await t.estate.issueToken({ sub: 'sam', roles: ['sales'] });
    const res = await rawRequest(t.base, '/api/dashboard', { headers: { authorization: `Bearer ${token}` } });
    events.push('client answered');
    expect(res.status).toBe(200);
    expect(res.headers['x-degraded']).toBeUndefined();
    expect(events.slice(0, 3).sort()).toEqual([
      'received /orders/recent',
      'received /stock/alerts',
      'received /summary',
    ]);
    expect(events.slice(3, 6).every((e) => e.startsWith('answered'))).toBe(true);
    expect(events[6]).toBe('client answered');
  });
});
