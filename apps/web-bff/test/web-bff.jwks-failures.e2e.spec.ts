import {
  UPSTREAM_BODY_MARKER,
  captureLogs,
  faults,
  startStub,
  type LogCapture,
  type Stub,
  type StubHandler,
} from '@frontdoor/testing';
import { startWebIdpTestApp, type WebIdpTestApp } from './web-test-app';

/**
 * The identity provider failing, as operators see it: each failed JWKS fetch counted in
 * `jwks_fetch_failures_total{reason}` (wired by the app module: libs/auth has no metrics) and the 503's warning
 * naming the reason — never the JWKS URL nor what the provider answered. The built app on 127.0.0.1, tokens signed
 * by a test IdP whose keys are served through a stub that fails as each test says.
 */
describe('web-bff when the JWKS cannot be fetched', () => {
  let t: WebIdpTestApp;
  let jwks: Stub;
  let answer: StubHandler;
  let logs: LogCapture;

  beforeAll(async () => {
    jwks = await startStub((req, res, body) => answer(req, res, body));
    logs = captureLogs();
    t = await startWebIdpTestApp({
      jwksUrl: `${jwks.url}/jwks.json?access_token=s3cret`,
      env: {
        JWT_JWKS_COOLDOWN_MS: '1', // every request below may fetch again
        LOG_LEVEL: 'info',
      },
      logs: logs.stream,
    });
  });
  afterAll(async () => {
    await t?.close();
    await jwks?.close();
  });

  const productsWithNewToken = async () => {
    const token = await t.idp.sign(t.idp.claims({ sub: 'wendy', roles: ['warehouse'] }));
    const res = await fetch(`${t.base}/api/products`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    return res;
  };

  it('counts each failed fetch by reason in /metrics and names the reason in the 503 warning', async () => {
    for (const handler of [
      faults.status(500),
      faults.text(200, 'application/json', `{"${UPSTREAM_BODY_MARKER}`),
      faults.status(502),
    ]) {
      answer = handler;
      expect((await productsWithNewToken()).status).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 5)); // past the 1 ms cooldown
    }

    // the first scrape of this app: a fresh rendering
    const text = await (await fetch(`${t.base}/metrics`)).text();
    expect(
      text
        .split('\n')
        .filter((l) => l.startsWith('jwks_fetch_failures_total{'))
        .sort(),
    ).toEqual([
      'jwks_fetch_failures_total{reason="bad-document",app="web-bff"} 1',
      'jwks_fetch_failures_total{reason="status",app="web-bff"} 2',
    ]);

    const warnings = logs.lines().filter((l) => l['level'] === 'warn' && l['status'] === 503);
    expect(warnings.map((w) => w['cause'])).toEqual([
      'AuthFailure: the JWKS could not be fetched (reason: status, HTTP 500) and the key is not cached',
      'AuthFailure: the JWKS could not be fetched (reason: bad-document) and the key is not cached',
      'AuthFailure: the JWKS could not be fetched (reason: status, HTTP 502) and the key is not cached',
    ]);
    expect(logs.text()).not.toMatch(
      new RegExp(`s3cret|access_token|jwks\\.json|:${jwks.port}\\b|${UPSTREAM_BODY_MARKER}`),
    );
  });
});
