import { faults, settle } from '@frontdoor/testing';
import { loopbackClients } from './testing/loopback-clients';

/** The retries and ejections an upstream counts (`status()`, read at scrape time by `upstream_*_total`), on real stubs. */
describe('UpstreamClient retry and ejection counts (real loopback stubs)', () => {
  const { stub, client, closeAll } = loopbackClients({ name: 'sales', defaultDeadlineMs: 2000, probeIntervalMs: 0 });

  afterEach(() => closeAll());

  it('counts each retry made (attempts after the first), none for a call answered at once', async () => {
    const flaky = await stub(faults.sequence(faults.status(500), faults.status(500), faults.json(200, { ok: 1 })));
    const sales = client([flaky.url], { retry: { maxAttempts: 3, baseDelayMs: 1 } });
    expect(sales.status().retries).toBe(0);
    expect((await sales.request({ method: 'GET', path: '/summary' })).status).toBe(200);
    expect(sales.status().retries).toBe(2);
    expect((await sales.request({ method: 'GET', path: '/summary' })).status).toBe(200); // first attempt answers
    expect(sales.status().retries).toBe(2);
  });

  it('counts no retry for a method that is never repeated', async () => {
    const failing = await stub(faults.status(500));
    const sales = client([failing.url], { retry: { maxAttempts: 3, baseDelayMs: 1 } });
    await settle(sales.request({ method: 'POST', path: '/orders', body: '{}' }));
    expect(sales.status().retries).toBe(0);
  });

  it('counts an instance taken out of the rotation once', async () => {
    const failing = await stub(faults.status(500));
    const healthy = await stub(faults.json(200, { ok: 1 }));
    const sales = client([failing.url, healthy.url], { ejectAfterFailures: 2, retry: { maxAttempts: 1 }, breaker: { failures: 1000 } });
    for (let i = 0; i < 6; i++) await sales.request({ method: 'GET', path: '/summary' });
    expect(sales.status()).toMatchObject({ ejections: 1, instances: [{ ejected: true }, { ejected: false }] });
  });
});
