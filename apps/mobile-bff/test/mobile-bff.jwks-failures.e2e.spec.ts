import { closedPort } from '@frontdoor/testing';
import { startMobileIdpTestApp, type MobileIdpTestApp } from './mobile-test-app';

/** An unreachable identity provider counted in `jwks_fetch_failures_total` (wired by the app module), end to end. */
describe('mobile-bff when the JWKS cannot be fetched', () => {
  let t: MobileIdpTestApp;

  beforeAll(async () => {
    t = await startMobileIdpTestApp({
      jwksUrl: `http://127.0.0.1:${await closedPort()}/jwks.json`,
      env: { LOG_LEVEL: 'silent' },
    });
  });
  afterAll(async () => t?.close());

  it('answers 503 and counts one network failure in /metrics (one fetch per cooldown, however many requests)', async () => {
    const token = await t.idp.sign(t.idp.claims({ sub: 'maya', roles: ['sales'] }));
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${t.base}/api/products`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      expect(res.status).toBe(503);
    }
    // the first scrape of this app: a fresh rendering
    const text = await (await fetch(`${t.base}/metrics`)).text();
    expect(text.split('\n').filter((l) => l.startsWith('jwks_fetch_failures_total{'))).toEqual([
      'jwks_fetch_failures_total{reason="network",app="mobile-bff"} 1',
    ]);
  });
});
