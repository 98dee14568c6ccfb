import { loadConfig } from '@frontdoor/config';
import type { BffApp } from '@frontdoor/platform';
import {
  UPSTREAM_BODY_MARKER,
  captureLogs,
  faults,
  startStub,
  startTestIdp,
  type LogCapture,
  type Stub,
  type StubHandler,
  type TestIdp,
} from '@frontdoor/testing';
import { createWebBff } from '../src/app/create-web-bff';
import { webSchema } from '../src/app/web.config';

/**
 * The identity provider failing, as operators see it: each failed JWKS fetch counted in
 * `jwks_fetch_failures_total{reason}` (wired by the app module: libs/auth has no metrics) and the 503's warning
 * naming the reason — never the JWKS URL nor what the provider answered. The built app on 127.0.0.1, tokens signed
 * by a test IdP whose keys are served through a stub that fails as each test says.
 */
describe('web-bff when the JWKS cannot be fetched', () => {
  let idp: TestIdp;
  let jwks: Stub;
  let answer: StubHandler;
  let app: BffApp;
  let base: string;
  let logs: LogCapture;

  beforeAll(async () => {
    idp = await startTestIdp();
    jwks = await startStub((req, res, body) => answer(req, res, body));
    logs = captureLogs();
    const env = {
      JWT_JWKS_URL: `${jwks.url}/jwks.json?access_token=s3cret`,
      JWT_ISSUER: idp.issuer,
      JWT_AUDIENCE: idp.audience,
      JWT_JWKS_COOLDOWN_MS: '1', // every request below may fetch again
      LOG_LEVEL: 'info',
    };
    app = await createWebBff(loadConfig(webSchema, env), logs.stream);
    await app.nest.listen(0, '127.0.0.1');
    base = await app.nest.getUrl();
  });
  afterAll(async () => {
    await app?.nest.close();
    await jwks?.close();
    await idp?.close();
  });

  const productsWithNewToken = async () => {
    const token = await idp.sign(idp.claims({ sub: 'wendy', roles: ['warehouse'] }));
    const res = await fetch(`${base}/api/products`, { headers: { authorization: `Bearer ${token}` } });
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
    const text = await (await fetch(`${base}/metrics`)).text();
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
