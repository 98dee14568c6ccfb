import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_IDS } from '@frontdoor/demo-estate';
import { faults, rawRequest, startStub, type Stub, type StubHandler } from '@frontdoor/testing';
import { startWebTestApp, type WebTestApp } from './web-test-app';

/** Answers `/health` 200 (start-up and readiness probes), everything else with `handler`. */
const exceptHealth =
  (handler: StubHandler): StubHandler =>
  (req, res, body) =>
    req.url?.startsWith('/health')
      ? faults.json(200, { status: 'ok' })(req, res, body)
      : handler(req, res, body);

/**
 * The counters and gauges operators asked for (retries, ejections, cache and idempotency occupancy, build info), read
 * from the real `/metrics` of the built web-bff on 127.0.0.1: the demo estate behind it, hr replaced by a stub that
 * fails twice then answers, payroll by two stubs of which one always fails (ejected after one failure).
 */
describe('web-bff /metrics: retries, ejections, cache and idempotency records, build info', () => {
  let t: WebTestApp;
  let hr: Stub;
  let payrollDown: Stub;
  let payrollUp: Stub;

  beforeAll(async () => {
    hr = await startStub(
      exceptHealth(faults.sequence(faults.status(500), faults.status(500), faults.json(200, []))),
    );
    payrollDown = await startStub(faults.status(500));
    payrollUp = await startStub(faults.text(200, 'application/xml', '<salaries></salaries>'));
    const env = {
      UPSTREAM_HR_URL: hr.url,
      UPSTREAM_PAYROLL_URL: `${payrollDown.url},${payrollUp.url}`,
      UPSTREAM_EJECT_AFTER_FAILURES: '1',
      BREAKER_FAILURES: '1000',
    };
    t = await startWebTestApp({ env });
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([hr?.close(), payrollDown?.close(), payrollUp?.close()]);
  });

  const get = async (path: string, roles: string[]) => {
    const token = await t.estate.issueToken({ sub: 'metrics-reader', roles });
    return rawRequest(t.base, path, { headers: { authorization: `Bearer ${token}` } });
  };
  const order = async (key: string) => {
    const token = await t.estate.issueToken({ sub: 'sally', roles: ['sales'] });
    return rawRequest(t.base, '/api/sales/orders', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify({ customerId: DEMO_IDS.customer, items: [{ sku: DEMO_IDS.sku, quantity: 1 }] }),
    });
  };

  it('counts retries and ejections per upstream, gauges the cache and the idempotency records, and names the build', async () => {
    expect((await get('/api/hr/employees', ['hr'])).status).toBe(200); // 500, 500, then 200: two retries
    await get('/api/payroll/salaries', ['finance']); // round-robin: one of the two calls meets the failing instance
    await get('/api/payroll/salaries', ['finance']);
    expect((await get(`/api/inventory/products/${DEMO_IDS.sku}`, ['warehouse'])).status).toBe(200);
    expect((await get('/api/inventory/products?limit=2', ['warehouse'])).status).toBe(200);
    expect((await order('metrics-key-0001')).status).toBe(201);
    expect((await order('metrics-key-0002')).status).toBe(201);

    // the first scrape of this app: a fresh rendering
    const lines = (await (await fetch(`${t.base}/metrics`)).text()).split('\n');
    const sample = (name: string, labels: Record<string, string> = {}) =>
      lines.find(
        (line) =>
          (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) &&
          Object.entries({ ...labels, app: 'web-bff' }).every(([k, v]) => line.includes(`${k}="${v}"`)),
      );
    expect(sample('upstream_retries_total', { upstream: 'hr' })).toMatch(/ 2$/);
    expect(sample('upstream_retries_total', { upstream: 'inventory' })).toMatch(/ 0$/); // no retry: 0
    expect(lines).toContain('# TYPE upstream_retries_total counter');
    expect(sample('upstream_ejections_total', { upstream: 'payroll' })).toMatch(/ 1$/);
    expect(sample('upstream_ejections_total', { upstream: 'hr' })).toMatch(/ 0$/); // one instance: never ejected
    expect(sample('upstream_healthy_instances', { upstream: 'payroll' })).toMatch(/ 1$/);
    expect(sample('response_cache_entries')).toMatch(/ 2$/);
    expect(sample('response_cache_bytes')).toMatch(/ [1-9]\d*$/);
    expect(sample('idempotency_records')).toMatch(/ 2$/);
    const { version } = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      version: string;
    };
    expect(sample('build_info', { version })).toMatch(/ 1$/);
  });
});
