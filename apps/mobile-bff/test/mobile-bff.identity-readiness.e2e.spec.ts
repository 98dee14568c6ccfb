import { readinessWhen, startStub, type Stub, type TestIdp } from '@frontdoor/testing';
import { startMobileIdpTestApp, type MobileIdpTestApp } from './mobile-test-app';

/**
 * `/health/ready` reporting the identity provider as the JWKS cache last found it (never fetched by the probe):
 * `up`, `degraded` (still 200: cached keys keep verifying) once a fetch for an unknown kid failed, `up` again after
 * a fetch succeeds. The built app on 127.0.0.1, a test IdP that goes down on demand, one stub for every upstream.
 */
describe('mobile-bff readiness of the identity provider', () => {
  let t: MobileIdpTestApp;
  let upstreams: Stub;

  beforeAll(async () => {
    upstreams = await startStub(
      (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    );
    t = await startMobileIdpTestApp({
      env: {
        JWT_JWKS_COOLDOWN_MS: '1', // every unknown kid below may fetch again
        UPSTREAM_INVENTORY_URL: upstreams.url,
        UPSTREAM_SALES_URL: upstreams.url,
        LOG_LEVEL: 'silent',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await upstreams?.close();
  });

  /** A token with no role: authenticated (its key fetched and checked), then refused 403 by roles, no upstream call. */
  const statusWith = async (token: string) => {
    const res = await fetch(`${t.base}/api/products`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    return res.status;
  };
  const roleless = (options?: Parameters<TestIdp['sign']>[1]) =>
    t.idp.sign(t.idp.claims({ sub: 'maya', roles: [] }), options);

  it('says up, degraded (200) after a failed fetch with keys cached, and up again after a fetch succeeds', async () => {
    const token = await roleless();
    expect(await statusWith(token)).toBe(403); // verified: the JWKS was fetched
    const up = await readinessWhen(t.base, () => true);
    expect(up.status).toBe(200);
    expect(up.body).toEqual({
      status: 'ready',
      checks: { inventory: 'up', sales: 'up', 'rate-limit-store': 'up', 'identity-provider': 'up' },
    });

    t.idp.setDown(true);
    expect(await statusWith(await roleless({ key: 'unpublished' }))).toBe(503); // unknown kid: the fetch fails
    const degraded = await readinessWhen(t.base, (b) => b.checks['identity-provider'] !== 'up');
    expect(degraded.status).toBe(200);
    expect(degraded.body).toEqual({
      status: 'degraded',
      checks: { inventory: 'up', sales: 'up', 'rate-limit-store': 'up', 'identity-provider': 'degraded' },
    });
    expect(await statusWith(await roleless())).toBe(403); // a new token signed by a cached key still verifies
    const fetchesWhileDown = t.idp.fetches();
    await new Promise((r) => setTimeout(r, 1100)); // past READINESS_TTL_MS: the next probe evaluates afresh
    expect((await readinessWhen(t.base, () => true)).body.checks['identity-provider']).toBe('degraded');
    expect(t.idp.fetches()).toBe(fetchesWhileDown); // the probe never fetches

    t.idp.setDown(false);
    await t.idp.rotate();
    expect(await statusWith(await roleless())).toBe(403); // the new kid: a refetch, which succeeds
    const back = await readinessWhen(t.base, (b) => b.checks['identity-provider'] === 'up');
    expect(back.status).toBe(200);
    expect(back.body).toEqual(up.body);
  });
});
