import { isProblemError, isUpstreamError, type ProblemSlug, type UpstreamFailure } from '@frontdoor/errors';
import {
  UPSTREAM_BODY_MARKER,
  closedPort,
  faults,
  rejectionOf,
  settle,
  startStub,
  type Stub,
  type StubHandler,
} from '@frontdoor/testing';
import { loopbackClients } from './testing/loopback-clients';
import { isUpstreamAbortedError } from './upstream.errors';

const CAP = 64 * 1024;

/** No host, port, URL or upstream body may reach what the client sees. */
function expectNoLeak(error: unknown, port: number): void {
  const { detail, message } = error as { detail?: string; message?: string };
  const shown = JSON.stringify({ detail, message });
  for (const secret of ['127.0.0.1', 'localhost', String(port), 'http:', UPSTREAM_BODY_MARKER]) {
    expect(shown).not.toContain(secret);
  }
}

describe('UpstreamClient', () => {
  const { stub, client, closeAll } = loopbackClients({ name: 'payroll', maxResponseBytes: CAP, defaultDeadlineMs: 1000 });
  let target: Stub;

  beforeAll(async () => {
    target = await startStub(faults.json(200, { stolen: true }));
  });
  afterEach(() => closeAll());
  afterAll(() => target.close());

  describe('fault table', () => {
    interface Expected {
      status: number;
      slug: ProblemSlug;
      /** set for UpstreamErrors; absent for plain ProblemErrors (404, 422…) */
      failure?: UpstreamFailure;
      detail?: string;
      headers?: Record<string, string>;
      deadlineMs?: number;
      /** the call must settle before this (the fault's own duration): the deadline cut it, not the upstream */
      before?: number;
    }
    const timeout = { status: 504, slug: 'upstream-timeout', failure: 'timeout' } as const;
    const unavailable = { status: 503, slug: 'upstream-unavailable', failure: 'unavailable' } as const;
    const overloaded = { status: 503, slug: 'upstream-unavailable', failure: 'overloaded' } as const;
    const bad = { status: 502, slug: 'upstream-bad-response', failure: 'bad-response' } as const;
    const tooLarge = { ...bad, detail: 'payroll answered with a body over the size limit' };
    type Fault = () => StubHandler | 'refused';

    const rows: [string, Fault, 'request' | 'fetch', Expected][] = [
      ['slow headers past the deadline → 504', () => faults.slowHeaders(2000), 'request',
        { ...timeout, deadlineMs: 200, before: 2000, detail: 'payroll did not answer within 200 ms' }],
      ['slow body past the deadline (headers in time) → 504', () => faults.slowBody(2000, 20), 'request',
        { ...timeout, deadlineMs: 300, before: 2000 }],
      ['a hanging upstream → 504', () => faults.hang(), 'fetch', { ...timeout, deadlineMs: 200 }],
      ['reset mid-body → 502', () => faults.resetMidBody(), 'request',
        { ...bad, detail: 'payroll broke off its answer' }],
      ['connection refused → 503', () => 'refused', 'request', { ...unavailable, detail: 'payroll is unavailable' }],
      ['500 → 502', () => faults.status(500), 'fetch', bad],
      ['garbage JSON → 502', () => faults.garbageJson(), 'fetch',
        { ...bad, detail: 'payroll answered with an invalid body' }],
      ['garbage XML → 502', () => faults.garbageXml(), 'fetch', bad],
      ['huge body by content-length → 502', () => faults.hugeBody(4 * CAP), 'request', tooLarge],
      ['huge body, chunked → 502', () => faults.hugeBody(4 * CAP, { contentLength: false }), 'request', tooLarge],
      ['huge body via fetch → 502', () => faults.hugeBody(20 * CAP, { contentLength: false }), 'fetch', tooLarge],
      ['redirect 302 → 502, not followed', () => faults.redirect(`${target.url}/steal`), 'fetch', bad],
      ['billion laughs → 502, fast', () => faults.billionLaughs(), 'fetch', { ...bad, before: 1000 }],
      ['deep JSON → 502', () => faults.deepJson(5000), 'fetch', bad],
      ['2xx HTML → 502', () => faults.text(200, 'text/html', '<html>'), 'fetch', bad],
      ['401 → 502', () => faults.status(401), 'fetch', bad],
      ['404 → 404 not-found', () => faults.status(404), 'fetch',
        { status: 404, slug: 'not-found', detail: 'payroll has no such resource' }],
      ['503 with Retry-After: 7 → 503 Retry-After 7', () => faults.status(503, { 'retry-after': '7' }), 'fetch',
        { ...overloaded, headers: { 'Retry-After': '7' } }],
      ['429 → 503 Retry-After 1', () => faults.status(429), 'fetch',
        { ...overloaded, headers: { 'Retry-After': '1' } }],
      ['422 → 422', () => faults.status(422), 'fetch',
        { status: 422, slug: 'unprocessable-content', detail: 'payroll rejected the request' }],
    ];

    it.each(rows)('%s', async (_label, fault, call, expected) => {
      const handler = fault();
      const port = handler === 'refused' ? await closedPort() : (await stub(handler)).port;
      const upstream = client([`http://127.0.0.1:${port}`]);
      const req = { method: 'GET', path: '/salaries/E0001', deadlineMs: expected.deadlineMs } as const;
      const outcome = await settle(call === 'fetch' ? upstream.fetch(req) : upstream.request(req));

      expect(outcome.ok).toBe(false);
      const error = outcome.ok ? undefined : outcome.error;
      expect(isProblemError(error)).toBe(true);
      expect(error).toMatchObject({ status: expected.status, slug: expected.slug });
      if (expected.detail) expect(error).toMatchObject({ detail: expected.detail });
      expect(isUpstreamError(error) ? error.failure : undefined).toBe(expected.failure);
      if (expected.headers) expect(error).toMatchObject({ headers: expected.headers });
      if (expected.before) expect(outcome.ms).toBeLessThan(expected.before);
      // it waited for the deadline rather than failing at once (timers may fire a few ms early on a busy machine)
      if (expected.deadlineMs) expect(outcome.ms).toBeGreaterThanOrEqual(expected.deadlineMs * 0.75);
      expectNoLeak(error, port);
      expect(target.requests).toHaveLength(0);
    });
  });

  describe('caller cancellation', () => {
    it('rejects with an AbortError (not a problem) when the caller aborts before the deadline', async () => {
      const up = await stub(faults.slowHeaders(1000));
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('client went away')), 50);
      const outcome = await settle(client([up.url]).request({ method: 'GET', path: '/x', signal: controller.signal }));
      expect(outcome.ok).toBe(false);
      const error = outcome.ok ? undefined : outcome.error;
      expect(isUpstreamAbortedError(error)).toBe(true);
      expect(isProblemError(error)).toBe(false);
      expect(error).toMatchObject({ name: 'AbortError', code: 'ABORT_ERR', upstream: 'payroll' });
      expect(outcome.ms).toBeLessThan(1000);
    });

    it('is a 504 when the deadline fired before the caller aborted', async () => {
      const up = await stub(faults.slowHeaders(1000));
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const call = client([up.url]).request({ method: 'GET', path: '/x', deadlineMs: 100, signal: controller.signal });
      const error = await rejectionOf(call);
      expect(error).toMatchObject({ status: 504, failure: 'timeout' });
    });

    it('sends nothing when the signal is already aborted', async () => {
      const up = await stub(faults.json(200, {}));
      const call = client([up.url]).request({ method: 'GET', path: '/x', signal: AbortSignal.abort() });
      const error = await rejectionOf(call);
      expect(isUpstreamAbortedError(error)).toBe(true);
      expect(up.requests).toHaveLength(0);
    });
  });

  describe('exchanges', () => {
    it('resolves a 3xx as is from request(), never following it', async () => {
      const up = await stub(faults.redirect(`${target.url}/steal`, 302));
      const res = await client([up.url]).request({ method: 'GET', path: '/x' });
      expect(res.status).toBe(302);
      expect(res.headers['location']).toBe(`${target.url}/steal`);
      expect(target.requests).toHaveLength(0);
    });

    it('sends method, path, encoded query, headers and body; returns status, headers and body', async () => {
      const up = await stub(faults.json(201, { id: 'O-1' }, { 'x-upstream': 'yes' }));
      const res = await client([up.url]).request({
        method: 'POST',
        path: '/orders',
        query: { q: 'a b&c', n: 3, flag: true, skipped: undefined },
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' },
        body: '{"item":"x"}',
      });
      expect(res.status).toBe(201);
      expect(res.headers['x-upstream']).toBe('yes');
      expect(JSON.parse(res.body.toString())).toEqual({ id: 'O-1' });
      expect(up.requests[0]).toMatchObject({
        method: 'POST',
        path: '/orders?q=a%20b%26c&n=3&flag=true',
        body: '{"item":"x"}',
        headers: expect.objectContaining({ 'x-request-id': 'req-1' }),
      });
    });

    it.each(['/api', '/api/', '/api//'])('puts every path under the base URL prefix %s', async (prefix) => {
      const up = await stub(faults.json(200, {}));
      const upstream = client([up.url + prefix]);
      await upstream.request({ method: 'GET', path: '/employees/E0001', query: { a: 1 } });
      await upstream.probe();
      expect(up.requests.map((r) => r.path)).toEqual(['/api/employees/E0001?a=1', '/api/health']);
    });

    it.each([
      ['an absolute URL', 'http://127.0.0.1:1/steal'],
      ['a protocol-relative path', '//evil.example/steal'],
      ['a relative path', 'employees/E1'],
      ['an empty path', ''],
    ])('refuses %s as a programming error, sending nothing', async (_label, path) => {
      const up = await stub(faults.json(200, {}));
      const error = await rejectionOf(client([up.url]).request({ method: 'GET', path }));
      expect(error).toBeInstanceOf(Error);
      expect(isProblemError(error)).toBe(false);
      expect(up.requests).toHaveLength(0);
    });

    it('reuses keep-alive connections for sequential requests', async () => {
      const up = await stub(faults.json(200, { ok: true }));
      const upstream = client([up.url]);
      for (let i = 0; i < 30; i++) await upstream.request({ method: 'GET', path: '/x' });
      expect(up.requests).toHaveLength(30);
      expect(up.connections()).toBeLessThanOrEqual(2);
    });

    it('spreads calls round-robin across instances', async () => {
      const a = await stub(faults.json(200, { from: 'a' }));
      const b = await stub(faults.json(200, { from: 'b' }));
      const upstream = client([a.url, b.url]);
      const from: unknown[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await upstream.request({ method: 'GET', path: '/x' });
        from.push(JSON.parse(res.body.toString()).from);
      }
      expect(from).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    });

    it('lets a call extend its deadline past the default (the pool backstop follows)', async () => {
      const up = await stub(faults.slowHeaders(1300));
      const upstream = client([up.url], { defaultDeadlineMs: 100 });
      const res = await upstream.request({ method: 'GET', path: '/x', deadlineMs: 3000 });
      expect(res.status).toBe(200);
    });

    it.each([
      ['its own deadline', { deadlineMs: 900 }],
      ['the default deadline', {}],
    ])('gives a call only what the request has not spent of %s (spentMs)', async (_label, deadline) => {
      const up = await stub(faults.hang());
      const upstream = client([up.url], { defaultDeadlineMs: 900 });
      const started = performance.now();
      const error = await rejectionOf(upstream.request({ method: 'POST', path: '/orders', ...deadline, spentMs: 700 }));
      const tookMs = performance.now() - started;
      expect(isUpstreamError(error) && error.failure).toBe('timeout');
      expect((error as { detail?: string }).detail).toBe('payroll did not answer within 200 ms');
      expect(tookMs).toBeGreaterThanOrEqual(150);
      expect(tookMs).toBeLessThan(700);
    });

    it('is a 504 at once for a request that spent its whole deadline already (the call gets 1 ms)', async () => {
      const up = await stub(faults.hang());
      const started = performance.now();
      const error = await rejectionOf(client([up.url]).request({ method: 'GET', path: '/x', deadlineMs: 500, spentMs: 600 }));
      expect(isUpstreamError(error) && error.failure).toBe('timeout');
      expect(performance.now() - started).toBeLessThan(300);
    });

    it('does not apply the body cap to the content-length of a HEAD answer', async () => {
      const up = await stub(faults.hugeBody(4 * CAP));
      const res = await client([up.url]).request({ method: 'HEAD', path: '/x' });
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(0);
    });

    it('accepts a body of exactly the cap', async () => {
      const up = await stub(faults.hugeBody(CAP, { contentLength: false }));
      const res = await client([up.url]).request({ method: 'GET', path: '/x' });
      expect(res.body).toHaveLength(CAP);
    });
  });

  describe('fetch', () => {
    it('decodes a JSON answer', async () => {
      const up = await stub(faults.json(200, { sku: 'P-1', stock: 3 }));
      expect(await client([up.url]).fetch({ method: 'GET', path: '/products/P-1' })).toEqual({ sku: 'P-1', stock: 3 });
    });

    it('decodes an empty 2xx body to undefined', async () => {
      const up = await stub(faults.status(204));
      expect(await client([up.url]).fetch({ method: 'DELETE', path: '/orders/O-1' })).toBeUndefined();
    });

    it('decodes a payroll XML document, keeping leading-zero fields as strings', async () => {
      const xml =
        '<?xml version="1.0" encoding="UTF-8"?>' +
        '<salaries><salary><employeeId>E0001</employeeId><base>052000</base><currency>EUR</currency>' +
        '<bankAccount>0012345678901234</bankAccount></salary></salaries>';
      const up = await stub(faults.xml(200, xml));
      const value = await client([up.url]).fetch({ method: 'GET', path: '/salaries' }, { arrays: ['salary'] });
      expect(JSON.stringify(value)).toContain('"bankAccount":"0012345678901234"');
      expect(JSON.stringify(value)).toContain('"base":"052000"');
      expect(JSON.stringify(value)).toMatch(/"salary":\[\{/);
    });
  });

  describe('what the trace records of a call', () => {
    const recorder = () => {
      const ended: [string, number | undefined][] = [];
      return { ended, trace: { begin: () => ({ traceparent: undefined, end: (outcome: string, status?: number) => void ended.push([outcome, status]) }) } };
    };

    it.each([
      ['request() of a 200 with a garbage body: the HTTP answer was a 2xx', 'request', faults.garbageJson, [['2xx', 200]]],
      ['fetch() of a 200 with a garbage body: bad-response (it is answered 502)', 'fetch', faults.garbageJson, [['bad-response', 200]]],
      ['requestDecoded() of a 200 with a garbage body: bad-response', 'requestDecoded', faults.garbageJson, [['bad-response', 200]]],
      ['fetch() of a 200 with a good body: 2xx', 'fetch', () => faults.json(200, { ok: true }), [['2xx', 200]]],
      ['fetch() of a 404: 4xx, not bad-response', 'fetch', () => faults.status(404), [['4xx', 404]]],
      ['requestDecoded() of a 500: 5xx', 'requestDecoded', () => faults.status(500), [['5xx', 500]]],
    ] as const)('%s', async (_label, method, handler, expected) => {
      const backend = await stub(handler());
      const { ended, trace } = recorder();
      const upstream = client([backend.url], { retry: { maxAttempts: 1 } });
      await settle(upstream[method]({ method: 'GET', path: '/x', trace }));
      expect(ended).toEqual(expected);
    });
  });

  describe('probe', () => {
    it.each([
      ['a healthy instance', true, () => faults.json(200, { status: 'ok' })],
      ['an instance answering 500', false, () => faults.status(500)],
      ['an instance answering 503', false, () => faults.status(503)],
      ['a hanging instance', false, () => faults.hang()],
      ['a refused instance', false, () => 'refused' as const],
    ])('%s → %s', async (_label, expected, handler) => {
      const h = handler();
      const url = h === 'refused' ? `http://127.0.0.1:${await closedPort()}` : (await stub(h)).url;
      const outcome = await settle(client([url]).probe(150));
      expect(outcome).toMatchObject({ ok: true, value: expected });
      expect(outcome.ms).toBeLessThan(1000);
    });

    it('is true when at least one instance is healthy, and asks every instance', async () => {
      const down = await stub(faults.status(503));
      const up = await stub(faults.json(200, {}));
      expect(await client([down.url, up.url]).probe()).toBe(true);
      expect(down.requests.map((r) => r.path)).toEqual(['/health']);
      expect(up.requests.map((r) => r.path)).toEqual(['/health']);
    });

    it('asks the configured health path (UPSTREAM_<NAME>_HEALTH_PATH), after the URL\'s own path', async () => {
      const backend = await stub((req, res) => {
        res.statusCode = req.url === '/api/actuator/health?probe=1' ? 200 : 404;
        res.end('{}');
      });
      expect(await client([`${backend.url}/api`], { healthPath: '/actuator/health?probe=1' }).probe()).toBe(true);
      expect(await client([`${backend.url}/api`]).probe()).toBe(false); // /api/health: 404
      expect(backend.requests.map((r) => r.path)).toEqual(['/api/actuator/health?probe=1', '/api/health']);
    });
  });

  describe('close', () => {
    it('closes every pool; later calls are 503 unavailable', async () => {
      const a = await stub(faults.json(200, {}));
      const b = await stub(faults.json(200, {}));
      const upstream = client([a.url, b.url]);
      await upstream.request({ method: 'GET', path: '/x' });
      expect(upstream.closed).toBe(false);
      await upstream.close();
      await upstream.close();
      expect(upstream.closed).toBe(true);
      const after = await rejectionOf(upstream.request({ method: 'GET', path: '/x' }));
      expect(after).toMatchObject({ status: 503, failure: 'unavailable' });
      expect(await upstream.probe()).toBe(false);
    });
  });
});
