import { startDemoEstate } from './demo-estate';
import type { DemoEstate } from './demo-estate.types';
import { DEMO_IDS } from './demo-ids';

describe('faults', () => {
  let estate: DemoEstate;
  beforeAll(async () => {
    estate = await startDemoEstate({ faults: { hr: { latencyMs: 300 } } });
  });
  afterEach(() => {
    for (const service of ['inventory', 'hr', 'payroll', 'sales', 'customers'] as const)
      estate.setFault(service, {});
  });
  afterAll(() => estate?.stop());

  it('delays a slow service: a 300 ms call finishes after a 0 ms one started at the same time', async () => {
    const finished: string[] = [];
    const track = (name: string, url: string) =>
      fetch(url).then(async (res) => {
        await res.arrayBuffer();
        finished.push(name);
      });
    await Promise.all([
      track('slow', `${estate.urls.hr}/employees/${DEMO_IDS.employee}`),
      track('fast', `${estate.urls.customers}/customers/C0001`),
    ]);
    expect(finished).toEqual(['fast', 'slow']);
  });

  it('answers 500 problems at errorRate 1, in the dialect of the service, but keeps /health healthy', async () => {
    estate.setFault('inventory', { errorRate: 1 });
    estate.setFault('payroll', { errorRate: 1 });
    const inventory = await fetch(`${estate.urls.inventory}/products`);
    expect(inventory.status).toBe(500);
    expect(inventory.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await inventory.json()).toMatchObject({ status: 500, title: 'Internal Server Error' });
    const payroll = await fetch(`${estate.urls.payroll}/salaries/E0001`);
    expect(payroll.status).toBe(500);
    expect(await payroll.text()).toContain('<status>500</status>');
    expect((await fetch(`${estate.urls.inventory}/health`)).status).toBe(200);
  });

  it('fails a reproducible share of requests at errorRate 0.5', async () => {
    const statuses = async () => {
      estate.setFault('customers', { errorRate: 0.5 });
      const out: number[] = [];
      for (let i = 0; i < 40; i += 1)
        out.push(
          await fetch(`${estate.urls.customers}/customers/C0001`).then(
            async (r) => (await r.arrayBuffer(), r.status),
          ),
        );
      return out;
    };
    const first = await statuses();
    expect(first.filter((s) => s === 500).length).toBeGreaterThan(5);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(5);
    expect(await statuses()).toEqual(first);
  });

  it.each([
    ['inventory', '/products', 'application/json; charset=utf-8', '{"items": [{"sku": '],
    ['payroll', '/salaries/E0001', 'application/xml; charset=utf-8', '<salary><base>1</sal'],
  ] as const)('garbage: %s answers 200 with a truncated body', async (service, path, type, body) => {
    estate.setFault(service, { mode: 'garbage' });
    const res = await fetch(`${estate.urls[service]}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(await res.text()).toBe(body);
  });

  it('hang: never answers, the client gives up, and stop() still resolves promptly', async () => {
    const hanging = await startDemoEstate({ faults: { sales: { mode: 'hang' } } });
    const started = Date.now();
    await expect(
      fetch(`${hanging.urls.sales}/summary`, { signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    const stillHanging = fetch(`${hanging.urls.sales}/orders`).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await hanging.stop();
    expect(await stillHanging).toHaveProperty('message', 'fetch failed'); // the socket was closed, not answered
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answerDelayMs: the work is done at once, the answer comes late — or never, when the caller gave up', async () => {
    const total = async () => ((await (await fetch(`${estate.urls.sales}/orders?limit=1`)).json()) as { total: number }).total;
    const before = await total();
    estate.setFault('sales', { answerDelayMs: 400 });
    const order = JSON.stringify({ customerId: 'C0001', items: [{ sku: DEMO_IDS.sku, quantity: 1 }] });
    const post = (signal?: AbortSignal) =>
      fetch(`${estate.urls.sales}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: order, signal });
    const gaveUp = await post(AbortSignal.timeout(100)).catch((e: Error) => e.name);
    expect(gaveUp).toBe('TimeoutError');
    estate.setFault('sales', {});
    expect(await total()).toBe(before + 1); // placed although its caller never saw the answer
    estate.setFault('sales', { answerDelayMs: 300 });
    const started = Date.now();
    expect((await post()).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect((await fetch(`${estate.urls.sales}/health`)).status).toBe(200);
    expect(() => estate.setFault('sales', { answerDelayMs: -1 })).toThrow('answerDelayMs');
  });

  it('is set and shown over HTTP with /__demo/fault, which validates its input', async () => {
    const put = (body: string) => fetch(`${estate.urls.sales}/__demo/fault`, { method: 'PUT', body });
    expect((await put(JSON.stringify({ errorRate: 1 }))).status).toBe(204);
    expect(await (await fetch(`${estate.urls.sales}/__demo/fault`)).json()).toEqual({ errorRate: 1 });
    expect((await fetch(`${estate.urls.sales}/orders`)).status).toBe(500);
    for (const bad of ['{"errorRate":2}', '{"latencyMs":-1}', '{"mode":"slow"}', '{"other":1}', 'nope'])
      expect((await put(bad)).status).toBe(400);
    expect((await put('{}')).status).toBe(204);
    expect((await fetch(`${estate.urls.sales}/orders`)).status).toBe(200);
    expect(() => estate.setFault('sales', { errorRate: -1 })).toThrow('errorRate');
  });
});
