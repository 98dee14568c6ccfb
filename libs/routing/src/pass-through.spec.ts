import type { BffApp } from '@frontdoor/platform';
import { UPSTREAM_BODY_MARKER, closedPort, faults, rawRequest, startStub, type RawResponse, type Stub, type StubHandler } from '@frontdoor/testing';
import { UpstreamRegistry, type UpstreamOptions } from '@frontdoor/upstream';
import { XMLParser } from 'fast-xml-parser';
import type { PassThroughRoute } from './pass-through.route';
import { startOneUpstreamApp, startPassThroughApp, type OneUpstreamApp } from './testing/pass-through-app';

const ROUTES: readonly PassThroughRoute[] = [
  { method: 'GET', path: '/api/inventory/products', upstream: 'inventory', target: '/products', roles: ['warehouse', 'sales'], query: ['limit', 'q'], headers: ['accept-language'], cacheTtlS: 1, cacheShared: true, xmlRoot: 'products' },
  { method: 'GET', path: '/api/inventory/products/:sku', upstream: 'inventory', target: '/products/:sku', roles: ['warehouse'], cacheTtlS: 1, responseHeaders: ['x-stock-level'] },
  { method: 'GET', path: '/api/inventory/stock/alerts', upstream: 'inventory', target: '/stock/alerts', roles: ['warehouse'], cacheTtlS: 1, cacheShared: true, fallback: { items: [] } },
  { method: 'GET', path: '/api/inventory/warehouses/:id', upstream: 'inventory', target: '/warehouses/:id', roles: ['warehouse'], fallback: { id: null } },
  { method: 'GET', path: '/api/hr/employees/:id', upstream: 'hr', target: '/employees/:id', roles: ['hr'], timeoutMs: 300 },
  { method: 'GET', path: '/api/payroll/salaries/:employeeId', upstream: 'payroll', target: '/salaries/:employeeId', roles: ['finance'], redact: ['bankAccount'], xmlRoot: 'salary' },
  { method: 'GET', path: '/api/payroll/salaries', upstream: 'payroll', target: '/salaries', roles: ['finance'], query: ['employeeIds'], xmlArrays: ['salary'], redact: ['bankAccount'] },
  { method: 'POST', path: '/api/sales/orders', upstream: 'sales', target: '/orders', roles: ['sales'], bodyFields: ['customerId:string', 'items[].sku:string', 'items[].quantity:integer', 'note:string'] },
  { method: 'GET', path: '/api/sales/orders/:id', upstream: 'sales', target: '/orders/:id', roles: ['sales'] },
  { method: 'GET', path: '/api/customers/:id', upstream: 'customers', target: '/customers/:id', roles: ['sales'] },
];

const xml = new XMLParser({ parseTagValue: false });

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('pass-through route tables (Nest pipeline on a real socket, loopback stubs)', () => {
  const behaviour: Record<'inventory' | 'hr' | 'payroll' | 'sales', StubHandler> = {
    inventory: faults.json(200, {}),
    hr: faults.json(200, {}),
    payroll: faults.json(200, {}),
    sales: faults.json(200, {}),
  };
  const stubs = {} as Record<keyof typeof behaviour, Stub>;
  let registry: UpstreamRegistry;
  let app: BffApp;
  let base: string;

  beforeAll(async () => {
    for (const name of Object.keys(behaviour) as (keyof typeof behaviour)[]) {
      stubs[name] = await startStub((req, res, body) => behaviour[name](req, res, body));
    }
    const refused = `http://127.0.0.1:${await closedPort()}`;
    const definition = (name: string, url: string, extra: Partial<UpstreamOptions> = {}): UpstreamOptions => ({
      name,
      urls: [new URL(url)],
      defaultDeadlineMs: 1000,
      maxResponseBytes: 64 * 1024,
      retry: { maxAttempts: 1 },
      breaker: { failures: 1000 },
      ...extra,
    });
    registry = new UpstreamRegistry([
      definition('inventory', stubs.inventory.url),
      definition('hr', stubs.hr.url),
      definition('payroll', stubs.payroll.url),
      definition('sales', stubs.sales.url, { breaker: { failures: 3, halfOpenAfterMs: 60_000 } }),
      definition('customers', refused),
    ]);
    ({ app, base } = await startPassThroughApp({
      name: 'TestPassThroughController',
      routes: ROUTES,
      roles: ['warehouse', 'sales', 'hr', 'finance'],
      registry,
      cache: { cacheMaxEntries: 100, cacheMaxBytes: 1e6, cacheStaleMaxS: 60 },
    }));
  });

  afterAll(async () => {
    await app?.nest.close();
    await registry?.close();
    await Promise.all(Object.values(stubs).map((s) => s.close()));
  });

  beforeEach(() => {
    for (const name of Object.keys(behaviour) as (keyof typeof behaviour)[]) {
      behaviour[name] = faults.json(200, {});
      stubs[name].requests.length = 0;
    }
  });

  const as = (roles: string, user = 'alice') => ({ 'x-test-roles': roles, 'x-test-user': user });
  const get = (path: string, headers: Record<string, string> = {}) => rawRequest(base, path, { headers });
  const json = (res: RawResponse) => JSON.parse(res.body) as Record<string, unknown>;

  describe('forwarding', () => {
    it('calls the target with the validated path and only the allow-listed query and headers', async () => {
      behaviour.inventory = faults.json(200, { items: [] });
      const res = await get('/api/inventory/products?limit=5&q=tea&offset=9&debug=true', {
        ...as('sales'),
        'accept-language': 'de',
        authorization: 'Bearer client-secret',
        cookie: 'session=s',
        'x-user-id': 'admin',
        'x-roles': 'admin',
        'x-forwarded-for': '10.0.0.1',
        traceparent: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01',
        'x-request-id': 'req-forward-1',
      });
      expect(res.status).toBe(200);
      const [seen] = stubs.inventory.requests;
      expect(seen?.path).toBe('/products?limit=5&q=tea');
      expect(seen?.headers).toMatchObject({
        'x-request-id': 'req-forward-1',
        // same trace, a child span of this gateway's
        traceparent: expect.stringMatching(/^00-0123456789abcdef0123456789abcdef-(?!0123456789abcdef)[0-9a-f]{16}-01$/),
        'accept-language': 'de',
        accept: 'application/json, application/xml;q=0.9',
      });
      for (const name of ['authorization', 'cookie', 'x-user-id', 'x-roles', 'x-forwarded-for']) expect(seen?.headers[name]).toBeUndefined();
    });

    it('never forwards a header the client named in Connection (hop-by-hop), nor TE/Upgrade', async () => {
      await get('/api/inventory/products', { ...as('sales'), 'accept-language': 'fr', connection: 'accept-language', te: 'trailers' });
      expect(stubs.inventory.requests[0]?.headers['accept-language']).toBeUndefined();
      expect(stubs.inventory.requests[0]?.headers['te']).toBeUndefined();
    });

    it('passes back only allow-listed response headers, never Server, Set-Cookie or internal ones', async () => {
      behaviour.inventory = faults.json(200, { sku: 'SKU-1' }, {
        'content-language': 'en',
        'x-stock-level': 'low',
        server: 'inventory/1.2 (10.0.0.5)',
        'set-cookie': 'upstream=1',
        'x-internal-host': 'inv-3.internal',
        'x-powered-by': 'express',
        'keep-alive': 'timeout=5',
      });
      const res = await get('/api/inventory/products/SKU-1', as('warehouse'));
      expect(res.status).toBe(200);
      expect(res.headers).toMatchObject({ 'content-language': 'en', 'x-stock-level': 'low' });
      for (const name of ['server', 'set-cookie', 'x-internal-host', 'x-powered-by']) expect(res.headers[name]).toBeUndefined();
      // an upstream answer setting a cookie is neither stored nor left to the client's cache (the cookie itself is dropped)
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('drops a response header the upstream named in its own Connection header', async () => {
      behaviour.inventory = faults.json(200, {}, { 'x-stock-level': 'low', connection: 'x-stock-level' });
      const res = await get('/api/inventory/products/SKU-2', as('warehouse'));
      expect(res.headers['x-stock-level']).toBeUndefined();
    });

    // RFC 9110 §8.8.3: a strong validator names one representation; the gateway decodes and re-serialises every
    // answer (and redacts, translates XML, marks stale), so the upstream's would label bytes it never sent
    it('never passes on the upstream ETag or Last-Modified: not re-serialised, redacted, translated nor stale', async () => {
      const validators = { etag: '"up-1"', 'last-modified': 'Tue, 01 Apr 2025 10:00:00 GMT' };
      behaviour.inventory = faults.json(200, { sku: 'SKU-V1' }, validators);
      behaviour.payroll = faults.xml(200, '<salary><employeeId>E1</employeeId><bankAccount>1</bankAccount></salary>', validators);
      const plain = await get('/api/inventory/products/SKU-V1', as('warehouse'));
      const translated = await get('/api/payroll/salaries/E1', as('finance'));
      await sleep(1100); // past the 1 s TTL: the copy (stored with its headers) is served stale
      behaviour.inventory = faults.status(503);
      const stale = await get('/api/inventory/products/SKU-V1', as('warehouse'));
      expect([plain.status, translated.status, stale.status, stale.headers['x-degraded']]).toEqual([200, 200, 200, 'stale']);
      for (const res of [plain, translated, stale]) {
        expect([res.headers['etag'], res.headers['last-modified']]).toEqual([undefined, undefined]);
      }
    });

    it.each([
      ['/api/inventory/products?limit=1&limit=2&q=x', ['limit must be given once']],
      ['/api/inventory/products?limit=1&q=x&q=y', ['q must be given once']],
      ['/api/inventory/products?q=x&limit=1&q=y&limit=2', ['limit must be given once', 'q must be given once']],
    ])('refuses a repeated query parameter (%s) with a 400 naming it, nothing sent upstream', async (path, errors) => {
      const res = await get(path, as('sales'));
      expect(res.status).toBe(400);
      expect(json(res)).toMatchObject({ type: 'urn:frontdoor:problem:validation-failed', errors });
      expect(stubs.inventory.requests).toHaveLength(0);
    });

    it('still drops a repeated parameter the row does not forward', async () => {
      const res = await get('/api/inventory/products?limit=4&debug=1&debug=2', as('sales'));
      expect(res.status).toBe(200);
      expect(stubs.inventory.requests[0]?.path).toBe('/products?limit=4');
    });

    it('forwards a JSON body once, answers the upstream status, and refuses other body types with 415', async () => {
      behaviour.sales = faults.json(201, { id: 'O-00301' });
      const res = await rawRequest(base, '/api/sales/orders', {
        method: 'POST',
        headers: { ...as('sales'), 'content-type': 'application/json' },
        body: JSON.stringify({ customerId: 'C0001', items: [{ sku: 'SKU-1', quantity: 1 }] }),
      });
      expect(res.status).toBe(201);
      expect(json(res)).toEqual({ id: 'O-00301' });
      expect(stubs.sales.requests[0]).toMatchObject({ method: 'POST', path: '/orders', headers: expect.objectContaining({ 'content-type': 'application/json' }) });
      expect(JSON.parse(stubs.sales.requests[0]?.body ?? '')).toEqual({ customerId: 'C0001', items: [{ sku: 'SKU-1', quantity: 1 }] });
      const xmlBody = await rawRequest(base, '/api/sales/orders', {
        method: 'POST',
        headers: { ...as('sales'), 'content-type': 'application/xml' },
        body: '<order><customerId>C1</customerId></order>',
      });
      expect(xmlBody.status).toBe(415);
      expect(stubs.sales.requests).toHaveLength(1);
    });

    it.each([
      ['a field the row does not name', { customerId: 'C0001', partnerId: 'acme', items: [] }, /fields this route does not accept: "partnerId"\./],
      ['several, cut to five', Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, 1])), /"a", "b", "c", "d", "e", …\./],
      ['an array', [{ customerId: 'C0001' }], /must be a JSON object/],
      ['a scalar', 'C0001', /must be a JSON object/],
      ['null', null, /must be a JSON object/],
      [
        'fields inside an array the row names the fields of',
        { customerId: 'C0001', items: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-2', quantity: 1, unitPrice: 0.01, partnerId: 'acme' }] },
        /fields this route does not accept: "items\[1\]\.unitPrice", "items\[1\]\.partnerId"\./,
      ],
      ['an object where the row names an array of objects', { items: { sku: 'SKU-1', unitPrice: 0.01 } }, /field "items" must be an array of objects/],
      ['an array in place of an element object', { items: [[{ sku: 'SKU-1', unitPrice: 0.01 }]] }, /field "items\[0\]" must be an object/],
      ['an object where the row names a string (operator injection)', { customerId: { $gt: '' } }, /field "customerId" must be a string\./],
      ['a fractional quantity', { customerId: 'C0001', items: [{ sku: 'SKU-1', quantity: 1.5 }] }, /field "items\[0\]\.quantity" must be an integer\./],
    ])('refuses a body with %s (400, nothing sent upstream)', async (_label, body, detail) => {
      const res = await rawRequest(base, '/api/sales/orders', {
        method: 'POST',
        headers: { ...as('sales'), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json(res)).toMatchObject({ status: 400, detail: expect.stringMatching(detail) });
      expect(stubs.sales.requests).toHaveLength(0);
    });

    it('forwards a body whose nested fields are all named, each leaf of its type', async () => {
      behaviour.sales = faults.json(201, { id: 'O-00302' });
      const order = { customerId: 'C0001', items: [{ sku: 'SKU-1', quantity: 2 }, { sku: 'SKU-2' }], note: 'gift' };
      const res = await rawRequest(base, '/api/sales/orders', {
        method: 'POST',
        headers: { ...as('sales'), 'content-type': 'application/json' },
        body: JSON.stringify(order),
      });
      expect(res.status).toBe(201);
      expect(JSON.parse(stubs.sales.requests[0]?.body ?? '')).toEqual(order);
    });

    it.each([
      ['no body and no Content-Type', {}],
      ['an empty application/json body', { 'content-type': 'application/json' }],
    ])('refuses a POST with %s (400, nothing sent upstream)', async (_label, headers) => {
      const res = await rawRequest(base, '/api/sales/orders', { method: 'POST', headers: { ...as('sales'), ...headers } });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(stubs.sales.requests).toHaveLength(0);
    });

    it('passes on an upstream 422 as a problem, with its detail only when it is plain', async () => {
      behaviour.sales = faults.text(422, 'application/problem+json', JSON.stringify({ status: 422, detail: 'items[0].sku SKU-99999 is not a known product' }));
      const plain = await rawRequest(base, '/api/sales/orders', { method: 'POST', headers: { ...as('sales'), 'content-type': 'application/json' }, body: '{}' });
      expect(plain.status).toBe(422);
      expect(json(plain)).toMatchObject({ detail: 'sales rejected the request: items[0].sku SKU-99999 is not a known product' });
      behaviour.sales = faults.text(422, 'application/problem+json', JSON.stringify({ detail: 'rejected by http://10.0.0.9:8080/orders' }));
      const leaky = await rawRequest(base, '/api/sales/orders', { method: 'POST', headers: { ...as('sales'), 'content-type': 'application/json' }, body: '{}' });
      expect(json(leaky)).toMatchObject({ status: 422, detail: 'sales rejected the request' });
      expect(leaky.body).not.toMatch(/10\.0\.0\.9|http:/);
    });

    it('never repeats a POST, even on a 503 or a reset', async () => {
      behaviour.sales = faults.status(503);
      await rawRequest(base, '/api/sales/orders', { method: 'POST', headers: { ...as('sales'), 'content-type': 'application/json' }, body: '{}' });
      behaviour.sales = (_req, res) => void res.socket?.destroy();
      const reset = await rawRequest(base, '/api/sales/orders', { method: 'POST', headers: { ...as('sales'), 'content-type': 'application/json' }, body: '{}' });
      expect(reset.status).toBe(503);
      expect(stubs.sales.requests).toHaveLength(2);
    });
  });

  describe('the Nest pipeline applies to every row', () => {
    it.each([
      ['no role at all', '', '/api/inventory/products/SKU-1'],
      ['the wrong role', 'sales', '/api/inventory/products/SKU-1'],
      ['a finance route for hr', 'hr', '/api/payroll/salaries/E0001'],
    ])('%s → 403 problem, nothing sent upstream', async (_label, roles, path) => {
      const res = await get(path, as(roles));
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(stubs.inventory.requests.length + stubs.payroll.requests.length).toBe(0);
    });

    it('answers XML to Accept: application/xml, readable by a real XML parser', async () => {
      behaviour.inventory = faults.json(200, { items: [{ sku: 'SKU-1', name: 'Tea & <Co>' }], total: 1 });
      const res = await get('/api/inventory/products?q=as-xml', { ...as('sales'), accept: 'application/xml' });
      expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
      expect(xml.parse(res.body)).toEqual({ '?xml': '', products: { items: { item: { sku: 'SKU-1', name: 'Tea & <Co>' } }, total: '1' } });
    });

    it('answers 406 to an Accept it cannot meet, before calling the upstream', async () => {
      const res = await get('/api/inventory/products/SKU-1', { ...as('warehouse'), accept: 'text/html' });
      expect(res.status).toBe(406);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(stubs.inventory.requests).toHaveLength(0);
    });
  });

  describe('XML upstreams', () => {
    const latin1Salary = Buffer.from(
      '<?xml version="1.0" encoding="ISO-8859-1"?><salary><employeeId>E0001</employeeId><base>052000.50</base>' +
        '<currency>EUR</currency><bankAccount>0012345678</bankAccount><note>Prämie für Zoë</note></salary>',
      'latin1',
    );

    it('answers JSON translated from ISO-8859-1 XML, values exact, the bank account redacted', async () => {
      behaviour.payroll = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/xml', 'content-length': latin1Salary.length }).end(latin1Salary);
      };
      const res = await get('/api/payroll/salaries/E0001', as('finance'));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(json(res)).toEqual({ salary: { employeeId: 'E0001', base: '052000.50', currency: 'EUR', note: 'Prämie für Zoë' } });
      expect(res.body).not.toContain('0012345678');
    });

    it('keeps declared arrays as arrays and redacts at any depth', async () => {
      behaviour.payroll = faults.xml(200, '<salaries><salary><employeeId>E1</employeeId><bankAccount>1</bankAccount></salary></salaries>');
      const res = await get('/api/payroll/salaries?employeeIds=E1', as('finance'));
      expect(json(res)).toEqual({ salaries: { salary: [{ employeeId: 'E1' }] } });
      expect(stubs.payroll.requests[0]?.path).toBe('/salaries?employeeIds=E1');
    });
  });

  describe('faults map to their status through a route', () => {
    type Row = [string, number, string, () => StubHandler];
    const rows: Row[] = [
      ['slow headers', 504, 'upstream-timeout', () => faults.slowHeaders(2000)],
      ['slow body', 504, 'upstream-timeout', () => faults.slowBody(2000, 10)],
      ['a hang', 504, 'upstream-timeout', () => faults.hang()],
      ['reset mid-body', 502, 'upstream-bad-response', () => faults.resetMidBody()],
      ['a 5xx', 502, 'upstream-bad-response', () => faults.status(500)],
      ['garbage JSON', 502, 'upstream-bad-response', () => faults.garbageJson()],
      ['garbage XML', 502, 'upstream-bad-response', () => faults.garbageXml()],
      ['a huge body', 502, 'upstream-bad-response', () => faults.hugeBody(256 * 1024, { contentLength: false })],
      ['a redirect (not followed)', 502, 'upstream-bad-response', () => faults.redirect('http://127.0.0.1:1/steal')],
      ['billion laughs', 502, 'upstream-bad-response', () => faults.billionLaughs()],
      ['deep nesting', 502, 'upstream-bad-response', () => faults.deepJson(5000)],
      ['404', 404, 'not-found', () => faults.status(404)],
      ['429', 503, 'upstream-unavailable', () => faults.status(429, { 'retry-after': '9' })],
      ['401 from the upstream', 502, 'upstream-bad-response', () => faults.status(401)],
    ];

    it.each(rows)('%s → %d %s, leaking nothing', async (_label, status, slug, fault) => {
      behaviour.hr = fault();
      const res = await get('/api/hr/employees/E0001', as('hr'));
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json(res)).toMatchObject({ type: `urn:frontdoor:problem:${slug}`, status, requestId: res.headers['x-request-id'] });
      expect(res.body).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${stubs.hr.port}|${UPSTREAM_BODY_MARKER}|lol|steal`));
      if (status === 503) expect(res.headers['retry-after']).toBe('9');
    });

    it('refused → 503', async () => {
      const res = await get('/api/customers/C0001', as('sales'));
      expect(res.status).toBe(503);
      expect(json(res)).toMatchObject({ type: 'urn:frontdoor:problem:upstream-unavailable', detail: 'customers is unavailable' });
    });

    it('an open circuit → 503 fast with Retry-After, the upstream no longer called', async () => {
      expect((await get('/api/sales/orders/O-1', as('sales'))).status).toBe(200); // resets the consecutive count
      stubs.sales.requests.length = 0;
      behaviour.sales = faults.status(500);
      for (let i = 0; i < 3; i++) expect((await get('/api/sales/orders/O-1', as('sales'))).status).toBe(502);
      const open = await get('/api/sales/orders/O-1', as('sales'));
      expect(open.status).toBe(503);
      expect(Number(open.headers['retry-after'])).toBeGreaterThanOrEqual(59);
      expect(stubs.sales.requests).toHaveLength(3);
    });
  });

  describe('response cache and stale-if-error', () => {
    it('serves a fresh copy without calling the upstream; a shared row serves every principal from one copy', async () => {
      behaviour.inventory = faults.json(200, { items: [1], total: 1 });
      const first = await get('/api/inventory/products?limit=2', as('sales', 'alice'));
      const second = await get('/api/inventory/products?limit=2&ignored=1', as('warehouse', 'bob'));
      expect(json(second)).toEqual(json(first));
      expect(stubs.inventory.requests).toHaveLength(1);
      expect(second.headers['cache-control']).toMatch(/^private, max-age=[01]$/);
      await get('/api/inventory/products?limit=3', as('sales', 'alice'));
      expect(stubs.inventory.requests).toHaveLength(2);
    });

    it('never shares a personal row across principals', async () => {
      behaviour.inventory = (req, res, body) => faults.json(200, { for: req.headers['x-request-id'] })(req, res, body);
      const alice = await get('/api/inventory/products/SKU-7', { ...as('warehouse', 'alice'), 'x-request-id': 'alice-1' });
      const bob = await get('/api/inventory/products/SKU-7', { ...as('warehouse', 'bob'), 'x-request-id': 'bob-1' });
      const aliceAgain = await get('/api/inventory/products/SKU-7', { ...as('warehouse', 'alice'), 'x-request-id': 'alice-2' });
      expect([json(alice), json(bob), json(aliceAgain)]).toEqual([{ for: 'alice-1' }, { for: 'bob-1' }, { for: 'alice-1' }]);
      expect(stubs.inventory.requests).toHaveLength(2);
    });

    it('honours the upstream Cache-Control: no-store is never cached, and the client is told so', async () => {
      behaviour.inventory = faults.json(200, { items: [] }, { 'cache-control': 'no-store' });
      const first = await get('/api/inventory/products/SKU-8', as('warehouse'));
      const second = await get('/api/inventory/products/SKU-8', as('warehouse'));
      expect(stubs.inventory.requests).toHaveLength(2);
      expect([first.headers['cache-control'], second.headers['cache-control']]).toEqual(['no-store', 'no-store']);
    });

    it.each([
      ['no-cache', '/api/inventory/products/SKU-CC1', 'no-store', 2],
      ['max-age=0', '/api/inventory/products/SKU-CC2', 'no-store', 2],
      // the row's TTL here is 1 s: a longer upstream max-age does not lengthen it
      ['max-age=60', '/api/inventory/products/SKU-CC3', 'private, max-age=1', 1],
      // a shared row does not store a private answer, but the client is a private cache: it may keep it for the TTL
      ['private, max-age=60', '/api/inventory/products?limit=7', 'private, max-age=1', 2],
    ])('tells the client no more than the upstream allows a private cache: %s on %s → %s', async (upstream, path, client, calls) => {
      behaviour.inventory = faults.json(200, { items: [] }, { 'cache-control': upstream });
      const first = await get(path, as('warehouse'));
      await get(path, as('warehouse'));
      expect(first.status).toBe(200);
      expect(first.headers['cache-control']).toBe(client);
      expect(stubs.inventory.requests).toHaveLength(calls);
    });

    it('serves a stale copy marked degraded when the upstream fails, and 503 without one', async () => {
      behaviour.inventory = faults.json(200, { sku: 'SKU-9', stock: 3 });
      await get('/api/inventory/products/SKU-9', as('warehouse'));
      await sleep(1100); // past the 1 s TTL: the copy is stale
      behaviour.inventory = faults.status(503);
      const stale = await get('/api/inventory/products/SKU-9', as('warehouse'));
      expect(stale.status).toBe(200);
      expect(stale.headers['x-degraded']).toBe('stale');
      expect(stale.headers['cache-control']).toBe('no-store');
      expect(json(stale)).toEqual({ sku: 'SKU-9', stock: 3, degraded: { reason: 'stale', missing: [] } });
      const none = await get('/api/inventory/products/SKU-10', as('warehouse'));
      expect(none.status).toBe(503);
      const xmlStale = await get('/api/inventory/products/SKU-9', { ...as('warehouse'), accept: 'application/xml' });
      expect(xml.parse(xmlStale.body)).toMatchObject({ response: { sku: 'SKU-9', degraded: { reason: 'stale' } } });
    });

    it('counts hits, misses and stale serves per route in /metrics', async () => {
      const count = async (result: string) => {
        const text = (await get('/metrics')).body;
        const line = text.split('\n').find((l) => l.startsWith(`response_cache_lookups_total{route="GET /api/inventory/products/:sku",result="${result}"`));
        return line === undefined ? 0 : Number(line.split(' ').pop());
      };
      const before = { hit: await count('hit'), miss: await count('miss'), stale: await count('stale') };
      behaviour.inventory = faults.json(200, { sku: 'SKU-12' });
      await get('/api/inventory/products/SKU-12', as('warehouse')); // miss
      await get('/api/inventory/products/SKU-12', as('warehouse')); // hit
      await sleep(1100);
      behaviour.inventory = faults.status(503);
      expect((await get('/api/inventory/products/SKU-12', as('warehouse'))).headers['x-degraded']).toBe('stale'); // miss, then stale
      expect({ hit: await count('hit'), miss: await count('miss'), stale: await count('stale') }).toEqual({
        hit: before.hit + 1,
        miss: before.miss + 2,
        stale: before.stale + 1,
      });
    });

    it('never replaces an upstream 404 with a stale copy', async () => {
      behaviour.inventory = faults.json(200, { sku: 'SKU-11' });
      await get('/api/inventory/products/SKU-11', as('warehouse'));
      await sleep(1100);
      behaviour.inventory = faults.status(404);
      expect((await get('/api/inventory/products/SKU-11', as('warehouse'))).status).toBe(404);
    });

    it('serves the row fallback, marked partial, when the upstream is down and nothing is cached', async () => {
      behaviour.inventory = faults.hang();
      const res = await get('/api/inventory/warehouses/W1', as('warehouse'));
      expect(res.status).toBe(200);
      expect(res.headers['x-degraded']).toBe('partial');
      expect(json(res)).toEqual({ id: null, degraded: { reason: 'partial', missing: ['inventory'] } });
    });
  });

  describe('path hygiene: the path authorized, routed and called upstream is the same', () => {
    it.each([
      ['/api/inventory/products/%2e%2e', 400],
      ['/api/inventory/products/%2E%2E%2Fpayroll', 400],
      ['/api/inventory/products/..%2f..%2fpayroll%2fsalaries', 400],
      ['/api/inventory/products/../../payroll/salaries/E0001', 400],
      ['/api/inventory/products/..;/x', 400],
      ['/api/inventory/products/SKU%2f1', 400],
      ['/api/inventory/products/SKU%5c1', 400],
      ['/api/inventory/products/a\\..\\b', 400],
      ['/api/inventory/products/SKU%00', 400],
      ['/api/inventory/products/%252e%252e', 400],
      ['/api/inventory//products/SKU-1', 400],
      ['/api/inventory/products//SKU-1', 400],
      ['/api/inventory/products/SKU-1/', 404],
      ['/api/inventory/products/SKU-1/../../stock/alerts', 400],
      ['/api/inventory/./products/SKU-1', 400],
      ['/API/inventory/products/SKU-1', 404],
      ['/api/inventory/products/SKU-1;.css', 200],
    ])('%s → %s, no other upstream route reached', async (path, status) => {
      behaviour.inventory = faults.json(200, {});
      const res = await rawRequest(base, path, { headers: as('warehouse,finance,hr,sales') });
      expect(res.status).toBe(status);
      for (const stub of [stubs.hr, stubs.payroll, stubs.sales]) expect(stub.requests).toHaveLength(0);
      const reached = stubs.inventory.requests.map((r) => r.path);
      expect(reached).toEqual(status === 200 ? ['/products/SKU-1%3B.css'] : []);
    });
  });
});

describe("pass-through: a row's own timeoutMs and the upstream's circuit (loopback stub)", () => {
  let one: OneUpstreamApp;

  beforeAll(async () => {
    one = await startOneUpstreamApp({
      name: 'TestTightRowController',
      routes: [{ method: 'GET', path: '/api/customers/:id', upstream: 'customers', target: '/customers/:id', roles: ['sales'], timeoutMs: 300 }],
      roles: ['sales'],
      upstream: { name: 'customers', breaker: { failures: 2, halfOpenAfterMs: 60_000 } },
      handler: faults.slowHeaders(600), // past the row's 300 ms, within the upstream's own 1000 ms
    });
  });

  afterAll(() => one?.close());

  it("timeouts at the row's limit, tighter than the upstream's deadline, leave the circuit closed: still called", async () => {
    const headers = { 'x-test-roles': 'sales', 'x-test-user': 'alice' };
    for (let i = 0; i < 3; i++) expect((await rawRequest(one.base, '/api/customers/C0001', { headers })).status).toBe(504);
    expect(one.registry.get('customers').status().breaker).toBe('closed'); // two counted failures would open it
    expect(one.stub.requests.filter((r) => r.path !== '/health')).toHaveLength(3);
  });
});
