import { METRICS_TTL_MS } from '@frontdoor/observability';
import { DEMO_IDS, DEMO_PARTNERS, seedEmployees, seedSalaries } from '@frontdoor/demo-estate';
import { captureLogs, rawRequest, startStub, type LogCapture, type Stub } from '@frontdoor/testing';
import { startWebTestApp, type WebTestApp } from './web-test-app';

/**
 * What operators see (issue 8): one access-log line per request with the principal and every upstream call, W3C
 * trace context propagated to upstreams and exported over OTLP, upstream metrics — and, after an attack run, no
 * secret anywhere in the logs.
 */
describe('web-bff observability e2e', () => {
  let t: WebTestApp;
  let collector: Stub;
  let logs: LogCapture;

  beforeAll(async () => {
    collector = await startStub((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    logs = captureLogs();
    t = await startWebTestApp({
      env: { LOG_LEVEL: 'info', OTEL_EXPORTER_OTLP_ENDPOINT: collector.url },
      logs: logs.stream,
    });
  });
  afterAll(async () => {
    await t?.close();
    await collector?.close();
  });

  const accessLine = (reqId: string) =>
    logs.lines().find((l) => l['reqId'] === reqId && l['msg'] === 'request');

  it('continues the client trace: every upstream call carries a child traceparent of the same trace', async () => {
    const token = await t.estate.issueToken({ sub: 'alice', roles: ['finance'] });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    t.estate.clearRecorded();
    const res = await fetch(`${t.base}/api/employees/${DEMO_IDS.employee}`, {
      headers: {
        authorization: `Bearer ${token}`,
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        'x-request-id': 'trace-1',
      },
    });
    expect(res.status).toBe(200);
    const sent = [...t.estate.recorded('hr'), ...t.estate.recorded('payroll')].filter(
      (r) => r.headers['x-request-id'] === 'trace-1',
    );
    expect(sent).toHaveLength(2);
    const spans = sent.map((r) => String(r.headers['traceparent']));
    for (const span of spans) expect(span).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(new Set(spans).size).toBe(2); // one child span per call
    expect(spans.some((s) => s.includes('00f067aa0ba902b7'))).toBe(false);
  });

  it('starts a trace when the client sent none (or a malformed one)', async () => {
    const token = await t.estate.issueToken({ sub: 'bob', roles: ['hr'] });
    t.estate.clearRecorded();
    await fetch(`${t.base}/api/employees/${DEMO_IDS.employee}`, {
      headers: { authorization: `Bearer ${token}`, traceparent: 'garbage', 'x-request-id': 'trace-2' },
    });
    const [call] = t.estate.recorded('hr').filter((r) => r.headers['x-request-id'] === 'trace-2');
    expect(String(call?.headers['traceparent'])).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(call?.headers['traceparent']).not.toContain('garbage');
  });

  it('logs one JSON line per request with route, principal, trace and each upstream call with its outcome and duration', async () => {
    const token = await t.estate.issueToken({ sub: 'carol', roles: ['finance'] });
    t.estate.setFault('payroll', { errorRate: 1 });
    try {
      await fetch(`${t.base}/api/employees/${DEMO_IDS.employee}`, {
        headers: { authorization: `Bearer ${token}`, 'x-request-id': 'log-line-1' },
      });
    } finally {
      t.estate.setFault('payroll', {});
    }
    const line = accessLine('log-line-1');
    expect(line).toMatchObject({
      app: 'web-bff',
      method: 'GET',
      route: '/api/employees/:id',
      status: 200,
      principal: 'user:carol',
    });
    expect(line?.['traceId']).toMatch(/^[0-9a-f]{32}$/);
    expect(line?.['upstreams']).toEqual(
      expect.arrayContaining([
        { upstream: 'hr', outcome: '2xx', status: 200, ms: expect.any(Number) },
        expect.objectContaining({ upstream: 'payroll', outcome: '5xx', status: 500 }),
      ]),
    );
  });

  it('exports upstream metrics: call durations per upstream and outcome, breaker state, calls in flight', async () => {
    const lines = (await (await fetch(`${t.base}/metrics`)).text()).split('\n');
    // label order is the registry's business: match each sample by name and its set of labels
    const sample = (name: string, labels: Record<string, string>) =>
      lines.find(
        (line) =>
          line.startsWith(`${name}{`) &&
          Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)),
      );
    expect(
      sample('upstream_request_duration_seconds_count', { upstream: 'hr', outcome: '2xx', app: 'web-bff' }),
    ).toMatch(/ [1-9]\d*$/);
    expect(
      sample('upstream_request_duration_seconds_count', {
        upstream: 'payroll',
        outcome: '5xx',
        app: 'web-bff',
      }),
    ).toMatch(/ [1-9]\d*$/);
    expect(sample('upstream_breaker_state', { upstream: 'payroll', app: 'web-bff' })).toMatch(/ [012]$/);
    expect(sample('upstream_in_flight', { upstream: 'hr', app: 'web-bff' })).toMatch(/ 0$/);
  });

  it('exports cache hits and misses per route, rate-limit rejections and process metrics', async () => {
    const token = await t.estate.issueToken({ sub: 'erin', roles: ['warehouse'] });
    for (let i = 0; i < 2; i++)
      await fetch(`${t.base}/api/inventory/products/${DEMO_IDS.sku}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    // one rendering of /metrics answers every scrape for METRICS_TTL_MS, and the test above scraped it
    await new Promise((r) => setTimeout(r, METRICS_TTL_MS + 100));
    const lines = (await (await fetch(`${t.base}/metrics`)).text()).split('\n');
    const sample = (name: string, labels: Record<string, string>) =>
      lines.find(
        (line) =>
          line.startsWith(`${name}{`) &&
          Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)),
      );
    const route = 'GET /api/inventory/products/:sku';
    expect(sample('response_cache_lookups_total', { route, result: 'miss', app: 'web-bff' })).toMatch(/ 1$/);
    expect(sample('response_cache_lookups_total', { route, result: 'hit', app: 'web-bff' })).toMatch(/ 1$/);
    expect(lines.some((l) => l.startsWith('# TYPE rate_limit_rejections_total counter'))).toBe(true);
    expect(lines.find((l) => l.startsWith('process_resident_memory_bytes{'))).toMatch(/ [1-9]\d*$/);
  });

  it('exports the spans over OTLP/HTTP to the configured collector', async () => {
    const token = await t.estate.issueToken({ sub: 'dave', roles: ['hr'] });
    const traceId = 'aaaabbbbccccddddeeeeffff00001111';
    await fetch(`${t.base}/api/employees/${DEMO_IDS.employee}`, {
      headers: { authorization: `Bearer ${token}`, traceparent: `00-${traceId}-1111222233334444-01` },
    });
    for (let i = 0; i < 40 && !collector.requests.some((r) => r.body.includes(traceId)); i++)
      await new Promise((r) => setTimeout(r, 100));
    const exported = collector.requests.find((r) => r.path === '/v1/traces' && r.body.includes(traceId));
    expect(exported).toBeDefined();
    expect(exported?.body).toContain('"web-bff"'); // service.name
    expect(exported?.body).toContain('GET /api/employees/:id');
  });

  it('an attack run leaves no token, key, password or bank account in the logs', async () => {
    const secretToken = await t.estate.issueToken({ sub: 'mallory', roles: ['finance'] });
    const partnerKey = DEMO_PARTNERS[0]?.apiKey as string;
    const attacks: [string, Record<string, string>, string?][] = [
      [`/api/employees/${DEMO_IDS.employee}`, { authorization: `Bearer ${secretToken}` }],
      [
        `/api/employees/${DEMO_IDS.employee}?api_key=${partnerKey}&password=hunter2`,
        { authorization: `Bearer ${secretToken}.tampered` },
      ],
      [
        '/api/employees/..%2f..%2fpayroll',
        { authorization: `Bearer ${secretToken}`, cookie: 'session=cookie-secret-42' },
      ],
      ['/api/employees/E0001', { 'x-api-key': partnerKey, 'x-user-id': 'admin', 'x-roles': 'admin' }],
      [
        '/api/payroll/salaries/E0001',
        { authorization: `Bearer ${secretToken}`, 'proxy-authorization': 'Basic cHJveHk6c2VjcmV0' },
      ],
    ];
    for (const [path, headers] of attacks) await rawRequest(t.base, path, { headers, method: 'GET' });
    await rawRequest(t.base, '/api/employees', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"password":"hunter2","token":"x"}',
    });
    const text = logs.text();
    expect(text.length).toBeGreaterThan(0);
    const bankAccounts = seedSalaries(seedEmployees())
      .slice(0, 3)
      .flatMap((s) => [s.bankAccount, s.iban]);
    expect(bankAccounts[0]).toMatch(/^\d{6,}$/);
    for (const secret of [
      secretToken,
      secretToken.split('.')[2],
      partnerKey,
      'hunter2',
      'cookie-secret-42',
      'cHJveHk6c2VjcmV0',
      ...bankAccounts,
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
