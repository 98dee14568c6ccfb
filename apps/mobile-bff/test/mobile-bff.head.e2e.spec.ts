import { sendRaw, startMobileTestApp, type MobileTestApp, type WireAnswer } from './mobile-test-app';

/** The header fields a HEAD answer must share with its GET's (RFC 9110 §9.3.2), Content-Length aside. */
function representationOf(answer: WireAnswer): Record<string, unknown> {
  const h = answer.headers;
  return {
    status: answer.status,
    type: h['content-type'],
    encoding: h['content-encoding'],
    vary: h['vary'],
    etag: h['etag'],
  };
}

/** HEAD, conditional requests and the 405 of mobile-bff, as a phone (or a cache in front of it) sees them. */
describe('mobile-bff HEAD, If-Match and 405 e2e', () => {
  let t: MobileTestApp;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await startMobileTestApp({ env: { LOG_LEVEL: 'silent' } });
    auth = { authorization: await t.bearer('sam', ['sales']) };
  });

  afterAll(async () => t?.close());

  it.each([
    ['/api/products?limit=50', 'br'],
    ['/api/products?limit=50', 'gzip'],
    ['/api/products?limit=50', 'identity'],
    ['/api/home', 'br, gzip'],
  ])(
    'HEAD %s (Accept-Encoding: %s) carries the Content-Encoding, Vary and ETag its GET carries, and no body',
    async (path, encoding) => {
      const headers = { ...auth, 'accept-encoding': encoding };
      const got = await sendRaw('GET', t.base + path, headers);
      const head = await sendRaw('HEAD', t.base + path, headers);
      expect(got.status).toBe(200);
      expect(representationOf(head)).toEqual(representationOf(got));
      expect(head.body.length).toBe(0);
      if (got.headers['content-encoding'] === undefined)
        expect(head.headers['content-length']).toBe(String(got.body.length));
      // never the identity length under a Content-Encoding: left out, as §9.3.2 allows
      else expect(head.headers['content-length']).toBeUndefined();
    },
  );

  it('HEAD with a matching If-None-Match is the 304 its GET gets: the same ETag, no Content-Encoding, no Content-Length', async () => {
    const path = `${t.base}/api/products?limit=50`;
    const { headers } = await sendRaw('GET', path, auth);
    const conditional = { ...auth, 'accept-encoding': 'br', 'if-none-match': String(headers['etag']) };
    const got = await sendRaw('GET', path, conditional);
    const head = await sendRaw('HEAD', path, conditional);
    expect(representationOf(head)).toEqual(representationOf(got));
    expect(representationOf(head)).toMatchObject({ status: 304, encoding: undefined, etag: headers['etag'] });
    expect(head.headers['content-length']).toBeUndefined();
  });

  it('GET with If-Match: * is answered; with a tag (weak ones never match, RFC 9110 §13.1.1) it is a problem 412', async () => {
    const path = `${t.base}/api/home`;
    const { headers } = await sendRaw('GET', path, auth);
    expect((await sendRaw('GET', path, { ...auth, 'if-match': '*' })).status).toBe(200);
    const refused = await sendRaw('GET', path, { ...auth, 'if-match': String(headers['etag']) });
    expect(refused.status).toBe(412);
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(refused.headers['etag']).toBeUndefined();
    expect(JSON.parse(refused.body.toString('utf8'))).toMatchObject({
      status: 412,
      instance: '/api/home',
      requestId: refused.headers['x-request-id'],
    });
  });

  it('If-Match never bypasses authentication: without a token it is still a 401', async () => {
    expect((await sendRaw('GET', `${t.base}/api/home`, { 'if-match': '"x"' })).status).toBe(401);
  });

  it('POST /api/home is a 405 counted under the route /api/home, not `unmatched`', async () => {
    const res = await sendRaw('POST', `${t.base}/api/home`, auth);
    expect([res.status, res.headers['allow']]).toEqual([405, 'GET, HEAD, OPTIONS']);
    const metrics = (await sendRaw('GET', `${t.base}/metrics`)).body.toString('utf8');
    expect(metrics).toMatch(
      /^http_requests_total\{route="\/api\/home",method="POST",status="405"[^}]*\} 1$/m,
    );
  });
});
