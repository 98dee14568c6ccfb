import { loadConfig } from '@frontdoor/config';
import type { BffApp } from '@frontdoor/platform';
import { closedPort, startTestIdp, type TestIdp } from '@frontdoor/testing';
import { createMobileBff } from '../src/app/create-mobile-bff';
import { mobileSchema } from '../src/app/mobile.config';

/** An unreachable identity provider counted in `jwks_fetch_failures_total` (wired by the app module), end to end. */
describe('mobile-bff when the JWKS cannot be fetched', () => {
  let idp: TestIdp;
  let app: BffApp;
  let base: string;

  beforeAll(async () => {
    idp = await startTestIdp();
    const env = {
      JWT_JWKS_URL: `http://127.0.0.1:${await closedPort()}/jwks.json`,
      JWT_ISSUER: idp.issuer,
      JWT_AUDIENCE: idp.audience,
      LOG_LEVEL: 'silent',
    };
    app = await createMobileBff(loadConfig(mobileSchema, env));
    await app.nest.listen(0, '127.0.0.1');
    base = await app.nest.getUrl();
  });
  afterAll(async () => {
    await app?.nest.close();
    await idp?.close();
  });

  it('answers 503 and counts one network failure in /metrics (one fetch per cooldown, however many requests)', async () => {
    const token = await idp.sign(idp.claims({ sub: 'maya', roles: ['sales'] }));
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${base}/api/products`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      expect(res.status).toBe(503);
    }
    // the first scrape of this app: a fresh rendering
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text.split('\n').filter((l) => l.startsWith('jwks_fetch_failures_total{'))).toEqual([
      'jwks_fetch_failures_total{reason="network",app="mobile-bff"} 1',
    ]);
  });
});
