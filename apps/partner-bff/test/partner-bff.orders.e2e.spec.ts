import { randomUUID } from 'node:crypto';
import { startPartnerTestApp, type DemoPartnerId, type PartnerTestApp } from './partner-test-app';

const ORDER = { customerId: 'C0001', items: [{ sku: 'SKU-00001', quantity: 2 }] };
const ORDER_XML =
  '<?xml version="1.0" encoding="UTF-8"?><order><customerId>C0001</customerId>' +
  '<items><item><sku>SKU-00001</sku><quantity>2</quantity></item></items></order>';

/** Placing orders: Idempotency-Key, DTO validation, the partner from the key, JSON or XML bodies, sales' refusals. */
describe('partner-bff orders e2e (POST /v1/orders, /v2/orders)', () => {
  let t: PartnerTestApp;

  beforeAll(async () => {
    t = await startPartnerTestApp({ PARTNER_PLANS: 'free:200:100000,gold:500:1000000' });
  });
  afterAll(async () => t?.close());
  beforeEach(() => t.estate.clearRecorded());

  /** The orders sales actually received (and created), with the partner each was placed for. */
  const placedAtSales = () =>
    t.estate
      .recorded('sales')
      .filter((r) => r.method === 'POST' && r.path === '/orders')
      .map((r) => JSON.parse(r.body) as { customerId: string; partnerId?: string; items: unknown[] });

  const post = (partner: DemoPartnerId, path: string, key: string | undefined, body: unknown, headers: Record<string, string> = {}) =>
    t.as(partner, path, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }), ...headers },
    });

  it.each(['/v1/orders', '/v2/orders'])(
    'POST %s with an If-Match that cannot hold (orders carry no entity tag) is a 412 after authentication, and places nothing',
    async (path) => {
      const init = { method: 'POST', body: JSON.stringify(ORDER), headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), 'if-match': '"v1"' } };
      expect((await fetch(`${t.base}${path}`, init)).status).toBe(401); // no key: the 401 comes first (RFC 9110 §13.2.1)
      const res = await t.as('acme', path, init);
      expect(res.status).toBe(412);
      expect(((await res.json()) as { type: string }).type).toBe('urn:frontdoor:problem:precondition-failed');
      expect(placedAtSales()).toEqual([]);
      expect((await post('acme', path, randomUUID(), ORDER, { 'if-match': '*' })).status).toBe(201);
    },
  );

  it.each(['/v1/orders', '/v2/orders'])('POST %s places the order for the partner of the key and answers 201 in its version’s shape', async (path) => {
    const res = await post('acme', path, randomUUID(), ORDER);
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ id: expect.stringMatching(/^O-\d{5}$/), status: 'pending', items: [expect.objectContaining({ sku: 'SKU-00001', quantity: 2 })] });
    if (path === '/v1/orders') expect(Object.keys(body).sort()).toEqual(['createdAt', 'currency', 'id', 'items', 'status', 'total']);
    else expect(body['total']).toEqual({ amount: expect.any(Number), currency: 'EUR' });
    expect(placedAtSales()).toEqual([{ customerId: 'C0001', partnerId: 'acme', items: [{ sku: 'SKU-00001', quantity: 2 }] }]);
    // and it is now one of acme's own orders, where Location says
    expect(res.headers.get('location')).toBe(`${path}/${body['id'] as string}`);
    expect((await t.as('acme', res.headers.get('location') as string)).status).toBe(200);
    expect((await t.as('globex', `${path}/${body['id'] as string}`)).status).toBe(404);
  });

  it('the same key with the same body answers the first answer again (status and body) without a second order', async () => {
    const key = randomUUID();
    const first = await post('acme', '/v1/orders', key, ORDER);
    const again = await post('acme', '/v1/orders', key, { items: ORDER.items, customerId: ORDER.customerId }); // same body, keys reordered
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(await again.json()).toEqual(await first.json());
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toMatch(/^\/v1\/orders\/O-\d{5}$/);
    // the answer's own headers come back with it (v1's deprecation notice among them)
    for (const name of ['content-type', 'cache-control', 'deprecation', 'sunset', 'link', 'location']) expect([name, again.headers.get(name)]).toEqual([name, first.headers.get(name)]);
    expect(placedAtSales()).toHaveLength(1);
  });

  it.each(['v1', 'v2'])('%s: every answer carrying orders — list, one order, 201 and its replay — is Cache-Control: no-store', async (version) => {
    const key = randomUUID();
    const first = await post('acme', `/${version}/orders`, key, ORDER);
    const again = await post('acme', `/${version}/orders`, key, ORDER);
    expect([first.status, again.status, again.headers.get('idempotent-replayed')]).toEqual([201, 201, 'true']);
    const { id } = (await first.json()) as { id: string };
    const list = await t.as('acme', `/${version}/orders?limit=1`);
    const one = await t.as('acme', `/${version}/orders/${id}`);
    const xml = await t.as('acme', `/${version}/orders/${id}`, { headers: { accept: 'application/xml' } });
    const seen = Object.entries({ first, again, list, one, xml }).map(([name, res]) => [name, [res.status, res.headers.get('cache-control')]]);
    expect(Object.fromEntries(seen)).toEqual({
      first: [201, 'no-store'],
      again: [201, 'no-store'],
      list: [200, 'no-store'],
      one: [200, 'no-store'],
      xml: [200, 'no-store'],
    });
    await Promise.all([again, list, one, xml].map((res) => res.arrayBuffer()));
  });

  it.each(['v1', 'v2'])('%s: the OpenAPI document declares that Cache-Control on the order answers', async (version) => {
    type Operation = { responses: Record<string, { headers?: object }> };
    const doc = (await (await fetch(`${t.base}/${version}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    const declared = (path: string, method: string, status: string) =>
      Object.keys(doc.paths[path]?.[method]?.responses[status]?.headers ?? {});
    expect(declared(`/${version}/orders`, 'get', '200')).toContain('Cache-Control');
    expect(declared(`/${version}/orders/{id}`, 'get', '200')).toContain('Cache-Control');
    expect(declared(`/${version}/orders`, 'post', '201')).toEqual(expect.arrayContaining(['Location', 'Idempotent-Replayed', 'Cache-Control']));
  });

  it('the same key with a different body is 422 and places nothing', async () => {
    const key = randomUUID();
    expect((await post('acme', '/v2/orders', key, ORDER)).status).toBe(201);
    const res = await post('acme', '/v2/orders', key, { ...ORDER, items: [{ sku: 'SKU-00001', quantity: 3 }] });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/already used for a different request/);
    expect(placedAtSales()).toHaveLength(1);
  });

  it('the same key and body on another API version is 422 too, and says so (not "a different body")', async () => {
    const key = randomUUID();
    expect((await post('acme', '/v1/orders', key, ORDER)).status).toBe(201);
    const res = await post('acme', '/v2/orders', key, ORDER);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/different request \(another method, path, API version or body\)/);
    expect(placedAtSales()).toHaveLength(1);
  });

  it('10 concurrent duplicates create one order, and all 10 get its answer', async () => {
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => post('acme', '/v1/orders', key, ORDER)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    const bodies = await Promise.all(answers.map((a) => a.json()));
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    expect(placedAtSales()).toHaveLength(1);
  });

  it('a key is scoped to its partner: the same key and body from two partners are two orders, each its own', async () => {
    const key = randomUUID();
    const [acme, globex] = await Promise.all([post('acme', '/v2/orders', key, ORDER), post('globex', '/v2/orders', key, ORDER)]);
    expect([acme.status, globex.status, acme.headers.get('idempotent-replayed'), globex.headers.get('idempotent-replayed')]).toEqual([201, 201, null, null]);
    const [a, g] = (await Promise.all([acme.json(), globex.json()])) as { id: string }[];
    expect(a?.id).not.toBe(g?.id);
    expect(placedAtSales().map((o) => o.partnerId).sort()).toEqual(['acme', 'globex']);
  });

  it('an XML body places the same order, and shares the JSON body’s fingerprint', async () => {
    const key = randomUUID();
    const xml = await post('globex', '/v1/orders', key, ORDER_XML, { 'content-type': 'application/xml' });
    expect(xml.status).toBe(201);
    expect(placedAtSales()).toEqual([{ customerId: 'C0001', partnerId: 'globex', items: [{ sku: 'SKU-00001', quantity: 2 }] }]);
    const json = await post('globex', '/v1/orders', key, ORDER);
    expect([json.status, json.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect(await json.json()).toEqual(await xml.json());
    expect(placedAtSales()).toHaveLength(1);
  });

  it.each([
    ['no Idempotency-Key', undefined, ORDER, 400, /Idempotency-Key/],
    ['a too short Idempotency-Key', 'short', ORDER, 400, /Idempotency-Key/],
    ['a partnerId in the body (the partner comes from the key)', 'k-partner-1', { ...ORDER, partnerId: 'globex' }, 400, /partnerId should not exist/],
    ['an unknown field in a line', 'k-line-0001', { ...ORDER, items: [{ sku: 'SKU-00001', quantity: 1, price: 0.01 }] }, 400, /price should not exist/],
    ['no items', 'k-empty-001', { customerId: 'C0001', items: [] }, 400, /items must contain at least 1 elements/],
    ['a quantity of 0', 'k-zero-0001', { customerId: 'C0001', items: [{ sku: 'SKU-00001', quantity: 0 }] }, 400, /quantity must not be less than 1/],
    ['a quantity as text', 'k-text-0001', { customerId: 'C0001', items: [{ sku: 'SKU-00001', quantity: '2' }] }, 400, /quantity must be an integer/],
    ['a customer id with markup', 'k-cust-0001', { customerId: '<b>x</b>', items: ORDER.items }, 400, /customerId must match/],
    ['lines nested in a list', 'k-nest-0001', { customerId: 'C0001', items: [ORDER.items] }, 400, /each value in items must be an object/],
    // 30,000 levels (60 KB) fit the order routes' 64 KiB body limit; 50,000 no longer reach the parser (413)
    ['a body nested 30,000 levels deep', 'k-deep-0001', `{"customerId":"C0001","items":${'['.repeat(30_000)}${']'.repeat(30_000)}}`, 400, /nested (too deeply|more than \d+ levels)/],
  ])('%s is refused with 400 before sales is called', async (_label, key, body, status, detail) => {
    const res = await post('acme', '/v1/orders', key, body);
    expect(res.status).toBe(status);
    const problem = (await res.json()) as { detail: string; errors?: string[] };
    expect([problem.detail, ...(problem.errors ?? [])].join('\n')).toMatch(detail);
    expect(placedAtSales()).toEqual([]);
  });

  it.each([
    ['malformed XML', '<order><customerId>C1</order>', /not well-formed XML/],
    ['a DOCTYPE (entity expansion)', '<?xml version="1.0"?><!DOCTYPE order [<!ENTITY a "aaaa">]><order><customerId>&a;</customerId></order>', /Document type declarations/],
    ['another root element', '<purchase><customerId>C0001</customerId></purchase>', /one root element, <order>/],
    ['an unknown element', '<order><customerId>C0001</customerId><partnerId>globex</partnerId><items><item><sku>SKU-00001</sku><quantity>1</quantity></item></items></order>', /partnerId should not exist/],
    ['a quantity that is not an integer', '<order><customerId>C0001</customerId><items><item><sku>SKU-00001</sku><quantity>1e3</quantity></item></items></order>', /quantity must be an integer/],
  ])('an XML body with %s is a 400 problem', async (_label, xml, detail) => {
    const res = await post('acme', '/v2/orders', randomUUID(), xml, { 'content-type': 'application/xml' });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { detail: string; errors?: string[] };
    expect([problem.detail, ...(problem.errors ?? [])].join('\n')).toMatch(detail);
    expect(placedAtSales()).toEqual([]);
  });

  it('sales refusing the order (unknown sku) is a 422 problem; the key is freed, so the corrected retry goes through', async () => {
    const key = randomUUID();
    const refused = await post('acme', '/v1/orders', key, { customerId: 'C0001', items: [{ sku: 'SKU-99999', quantity: 1 }] });
    expect(refused.status).toBe(422);
    const problem = (await refused.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ type: 'urn:frontdoor:problem:unprocessable-content', status: 422, instance: '/v1/orders' });
    expect(JSON.stringify(problem)).not.toMatch(/127\.0\.0\.1|localhost|http:/);
    const retried = await post('acme', '/v1/orders', key, ORDER);
    expect(retried.status).toBe(201);
    expect(placedAtSales()).toHaveLength(2); // the refused attempt reached sales; the retry placed the order
  });

  it('an order for a customer sales does not know is a 422 problem, not a 201 for an order nobody can receive', async () => {
    const refused = await post('acme', '/v1/orders', randomUUID(), { ...ORDER, customerId: 'C9999' });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ type: 'urn:frontdoor:problem:unprocessable-content', status: 422, instance: '/v1/orders' });
  });

  it('a body that is neither JSON nor XML is 415', async () => {
    const res = await post('acme', '/v1/orders', randomUUID(), 'customerId=C0001', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(placedAtSales()).toEqual([]);
  });
});

/**
 * The unknown outcome (found by the load-and-fault run): sales places the order but answers after the gateway's
 * deadline, so the partner gets 504 and retries with the same key. The gateway forwards a key derived from the
 * partner's, so sales answers the first order again: one order, whatever replica the retry reaches.
 */
describe('partner-bff orders e2e: a retry after a 504 never places a second order', () => {
  let t: PartnerTestApp;

  beforeAll(async () => {
    t = await startPartnerTestApp({ ROUTE_DEADLINE_MS: '700' });
  });
  afterAll(async () => t?.close());

  const acmeTotal = async () => ((await (await t.as('acme', '/v1/orders?limit=1')).json()) as { page: { total: number } }).page.total;

  it.each(['/v1/orders', '/v2/orders'])('%s: 504 while sales placed the order, then the retry answers that order', async (path) => {
    const key = randomUUID();
    const before = await acmeTotal();
    t.estate.clearRecorded();
    t.estate.setFault('sales', { answerDelayMs: 1500 });
    const post = () => t.as('acme', path, { method: 'POST', body: JSON.stringify(ORDER), headers: { 'content-type': 'application/json', 'idempotency-key': key } });
    const first = await post();
    expect(first.status).toBe(504);
    t.estate.setFault('sales', {});
    expect(await acmeTotal()).toBe(before + 1); // placed, though the partner was told 504
    const retry = await post();
    expect(retry.status).toBe(201);
    const order = (await retry.json()) as { id: string };
    expect(await acmeTotal()).toBe(before + 1); // still one
    expect((await (await t.as('acme', `${path}/${order.id}`)).json()) as { id: string }).toMatchObject({ id: order.id });
    // both attempts reached sales with one key: derived from the partner's, never the partner's key itself
    const sent = t.estate
      .recorded('sales')
      .filter((r) => r.method === 'POST' && r.path === '/orders')
      .map((r) => r.headers['idempotency-key']);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toEqual(sent[1]);
    expect(sent[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sent[0]).not.toContain(key);
  });

  it.each(['/v1/orders', '/v2/orders'])(
    '%s: a duplicate that waited for a first attempt which then failed gets what is left of the deadline, not one of its own',
    async (path) => {
      const key = randomUUID();
      t.estate.setFault('sales', { mode: 'hang' });
      try {
        const post = () => t.as('acme', path, { method: 'POST', body: JSON.stringify(ORDER), headers: { 'content-type': 'application/json', 'idempotency-key': key } });
        const started = Date.now();
        const first = post();
        await new Promise((resolve) => setTimeout(resolve, 200));
        const duplicate = await post();
        const duplicateDoneMs = Date.now() - started;
        expect((await first).status).toBe(504);
        // waited ~500 ms for the first attempt (700 ms deadline), then ran with the ~200 ms left: done at ~700 ms, not ~1400
        expect(duplicate.status).toBe(504);
        expect(duplicateDoneMs).toBeGreaterThanOrEqual(650);
        expect(duplicateDoneMs).toBeLessThan(1150);
      } finally {
        t.estate.setFault('sales', {});
      }
    },
  );
});
