import { DEMO_IDS } from '@frontdoor/demo-estate';
import { captureLogs, rawRequest, readinessWhen, type LogCapture } from '@frontdoor/testing';
import { startWebTestApp, type WebTestApp } from './web-test-app';

/**
 * web-bff end to end, against the real demo estate on ephemeral 127.0.0.1 ports. The BFF runs its whole
 * pipeline (door hooks, authentication, roles, filter, metrics, upstream client) on a real socket, with real user
 * tokens from the demo IdP, and the estate's services accept only calls this BFF signed.
 */
describe('web-bff e2e', () => {
  let t: WebTestApp;
  let logs: LogCapture;
  let hrToken: string;
  let salesToken: string;

  beforeAll(async () => {
    logs = captureLogs();
    const env = { PORT: '0', ROUTE_DEADLINE_MS: '800', LOG_LEVEL: 'info', BODY_LIMIT_BYTES: '1024' };
    t = await startWebTestApp({ env, logs: logs.stream });
    hrToken = await t.estate.issueToken({ sub: 'hannah', roles: ['hr'] });
    salesToken = await t.estate.issueToken({ sub: 'sam', roles: ['sales'] });
  });

  afterAll(async () => t?.close());

  afterEach(async () => {
    for (const service of ['hr', 'payroll'] as const) {
      t.estate.setFault(service, {});
      await t.estate.startService(service);
    }
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(t.base + path, { headers });
  /** As an hr user (sees profiles, not salaries). */
  const getAsHr = (path: string, headers: Record<string, string> = {}) =>
    get(path, { authorization: `Bearer ${hrToken}`, ...headers });

  it('GET /api/employees/:id answers the employee profile shaped from hr', async () => {
    const res = await getAsHr(`/api/employees/${DEMO_IDS.employee}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      'department',
      'email',
      'hiredAt',
      'id',
      'managerId',
      'name',
      'office',
      'phone',
      'title',
    ]);
    expect(JSON.stringify(body)).not.toMatch(/nationalId|homeNotes|bankAccount|iban|street/);
  });

  it('an unknown route is a problem+json 404 with the request id', async () => {
    const res = await get('/api/nothing-here', { 'x-request-id': 'trace-me-123' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('x-request-id')).toBe('trace-me-123');
    expect(await res.json()).toEqual({
      type: 'urn:frontdoor:problem:not-found',
      title: 'Not Found',
      status: 404,
      detail: 'No route matches this method and path.',
      instance: '/api/nothing-here',
      requestId: 'trace-me-123',
    });
  });

  it('an unknown employee is a 404 problem naming no host', async () => {
    const res = await getAsHr('/api/employees/E9999');
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).not.toMatch(/127\.0\.0\.1|localhost|:\d{4,5}/);
  });

  it.each([
    ['stopped', 503, 'upstream-unavailable', async () => t.estate.stopService('hr')],
    ['slow', 504, 'upstream-timeout', async () => t.estate.setFault('hr', { latencyMs: 3000 })],
    ['garbage', 502, 'upstream-bad-response', async () => t.estate.setFault('hr', { mode: 'garbage' })],
    ['failing', 502, 'upstream-bad-response', async () => t.estate.setFault('hr', { errorRate: 1 })],
  ])('a %s upstream answers %d %s and leaks no host', async (_label, status, slug, breakIt) => {
    await breakIt();
    const res = await getAsHr('/api/employees/E0002');
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const text = await res.text();
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(body['type']).toBe(`urn:frontdoor:problem:${slug}`);
    expect(body['requestId']).toBe(res.headers.get('x-request-id'));
    expect(body['detail']).toMatch(/^hr /);
    expect(text).not.toMatch(/127\.0\.0\.1|localhost|http:|ECONN|stack/i);
    for (const port of Object.values(t.estate.urls).map((u) => new URL(u).port))
      expect(text).not.toContain(port);
  });

  it('an upstream 200 with an undecodable body is recorded as bad-response (log line, metrics), not 2xx', async () => {
    await t.estate.setFault('hr', { mode: 'garbage' });
    const res = await getAsHr('/api/hr/employees/E0002', { 'x-request-id': 'garbage-outcome-1' });
    expect(res.status).toBe(502);
    await res.arrayBuffer();
    const line = logs.lines().find((l) => l['reqId'] === 'garbage-outcome-1' && l['msg'] === 'request');
    expect(line?.['upstreams']).toEqual([
      expect.objectContaining({ upstream: 'hr', outcome: 'bad-response', status: 200 }),
    ]);
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(
      /upstream_request_duration_seconds_count\{[^}]*upstream="hr"[^}]*outcome="bad-response"[^}]*\} [1-9]/,
    );
  });

  it('a malformed request id is replaced by a generated one', async () => {
    const res = await get('/health/live', { 'x-request-id': 'bad id with spaces' });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['/api/employees/%2e%2e', 400],
    ['/api/employees/../hr', 400],
    ['/api/employees/..%2fpayroll', 400],
    ['/api/employees/..;/x', 400],
    ['/api/employees/a\\b', 400],
    ['/api/employees/a%00', 400],
    ['/api//employees/E0001', 400],
    ['/api/employees/%E0%A4%A', 400],
    ['/api/employees/' + 'x'.repeat(150), 414],
  ])('path %s is refused with %d problem+json before reaching any upstream', async (path, status) => {
    t.estate.clearRecorded();
    const res = await rawRequest(t.base, path);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['x-request-id']).toBeTruthy();
    expect(JSON.parse(res.body)).toMatchObject({ status, requestId: res.headers['x-request-id'] });
    expect(t.estate.recorded('hr')).toHaveLength(0);
  });

  it.each([
    ['bad JSON', 400, { 'content-type': 'application/json' }, '{"a":'],
    [
      'a body over BODY_LIMIT_BYTES',
      413,
      { 'content-type': 'application/json' },
      JSON.stringify({ a: 'x'.repeat(2048) }),
    ],
    ['a JSON body with __proto__', 400, { 'content-type': 'application/json' }, '{"__proto__": {"x": 1}}'],
  ])('%s is a problem+json %d', async (_label, status, headers, body) => {
    const res = await rawRequest(t.base, '/api/sales/orders', {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${salesToken}` },
      body,
    });
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(res.body) as Record<string, unknown>;
    expect(problem).toMatchObject({ status, requestId: res.headers['x-request-id'] });
    expect(res.body).not.toMatch(/Unexpected|position|FST_/);
  });

  it('a bad body from a client without credentials is 401: bodies are decoded only once the guards let the request in', async () => {
    const res = await rawRequest(t.base, '/api/sales/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect([res.status, JSON.parse(res.body).type]).toEqual([401, 'urn:frontdoor:problem:unauthorized']);
  });

  it('malformed HTTP is answered with problem+json by the parser guard', async () => {
    const { Socket } = await import('node:net');
    const { hostname, port } = new URL(t.base);
    const answer = await new Promise<string>((resolve) => {
      const socket = new Socket();
      let data = '';
      socket.connect(Number(port), hostname, () =>
        socket.write(
          'GET /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
        ),
      );
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(answer).toMatch(/"status":400/);
  });

  it('health, readiness and metrics answer', async () => {
    expect(await (await get('/health/live')).json()).toEqual({ status: 'ok' });
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: {
        inventory: 'up',
        hr: 'up',
        payroll: 'up',
        sales: 'up',
        'rate-limit-store': 'up',
        'identity-provider': 'up',
      },
    });
    await getAsHr('/api/employees/E0002');
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(
      /http_request_duration_seconds_bucket\{[^}]*route="\/api\/employees\/:id"[^}]*status_class="2xx"/,
    );
    expect(metrics).toMatch(/http_requests_total\{[^}]*status="404"/);
  });

  it('readiness: one upstream down is degraded but still ready (200); every upstream down is 503', async () => {
    await t.estate.stopService('payroll');
    const one = await readinessWhen(t.base, (b) => b.checks['payroll'] === 'down');
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      status: 'degraded',
      checks: {
        inventory: 'up',
        hr: 'up',
        payroll: 'down',
        sales: 'up',
        'rate-limit-store': 'up',
        'identity-provider': 'up',
      },
    });
    // …and the app keeps serving what does not need payroll
    expect((await getAsHr(`/api/employees/${DEMO_IDS.employee}`)).status).toBe(200);

    await Promise.all((['inventory', 'hr', 'sales'] as const).map((s) => t.estate.stopService(s)));
    try {
      const all = await readinessWhen(t.base, (b) => b.status !== 'degraded');
      expect(all.status).toBe(503);
      expect(all.body).toMatchObject({
        status: 'not-ready',
        checks: { inventory: 'down', hr: 'down', payroll: 'down', sales: 'down' },
      });
    } finally {
      await Promise.all((['inventory', 'sales'] as const).map((s) => t.estate.startService(s)));
    }
  });

  it('logs one JSON access line per request with secrets redacted', async () => {
    await getAsHr('/api/employees/E0002?token=query-secret', {
      cookie: 'session=cookie-secret',
      'x-request-id': 'log-check-1',
    });
    await get('/api/employees/E0002', {
      authorization: 'Bearer super-secret-token',
      'x-request-id': 'log-check-2',
    });
    const line = logs.lines().find((l) => l['reqId'] === 'log-check-1' && l['msg'] === 'request');
    expect(line).toMatchObject({
      app: 'web-bff',
      method: 'GET',
      route: '/api/employees/:id',
      path: '/api/employees/E0002',
      status: 200,
    });
    expect(logs.lines().find((l) => l['reqId'] === 'log-check-2' && l['msg'] === 'request')).toMatchObject({
      status: 401,
    });
    expect(logs.text()).not.toContain(hrToken);
    expect(logs.text()).not.toMatch(/super-secret-token|cookie-secret|query-secret/);
  });
});
