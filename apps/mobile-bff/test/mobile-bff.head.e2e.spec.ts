import { request } from 'node:http';
import { loadConfig } from '@frontdoor/config';
import { estateEnv, startDemoEstate, type DemoEstate } from '@frontdoor/demo-estate';
import type { BffApp } from '@frontdoor/platform';
import { createMobileBff } from '../src/app/create-mobile-bff';
import { mobileSchema } from '../src/app/mobile.config';

interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The bytes on the wire (compressed when the answer is). */
  readonly body: Buffer;
}

/** A request that shows the answer exactly as sent: no Accept-Encoding unless given, no transparent decompression. */
function send(method: string, url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { method, host: hostname, port, path: pathname + search, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject).end();
  });
}

/** The header fields a HEAD answer must share with its GET's (RFC 9110 §9.3.2), Content-Length aside. */
function representationOf(answer: Answer): Record<string, unknown> {
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
  let estate: DemoEstate;
  let app: BffApp;
  let base: string;
  let auth: Record<string, string>;

  beforeAll(async () => {
    estate = await startDemoEstate();
    app = await createMobileBff(
      loadConfig(mobileSchema, { ...estateEnv(estate), ROUTE_DEADLINE_MS: '800', LOG_LEVEL: 'silent' }),
    );
    await app.nest.listen(0, '127.0.0.1');
    base = await app.nest.getUrl();
    estate.trustGateways([`${base}/.well-known/jwks.json`]);
    auth = { authorization: `Bearer ${await estate.issueToken({ sub: 'sam', roles: ['sales'] })}` };
  });

  afterAll(async () => {
    await app?.nest.close();
    await estate?.stop();
  });

  it.each([
    ['/api/products?limit=50', 'br'],
    ['/api/products?limit=50', 'gzip'],
    ['/api/products?limit=50', 'identity'],
    ['/api/home', 'br, gzip'],
  ])(
    'HEAD %s (Accept-Encoding: %s) carries the Content-Encoding, Vary and ETag its GET carries, and no body',
    async (path, encoding) => {
      const headers = { ...auth, 'accept-encoding': encoding };
      const got = await send('GET', base + path, headers);
      const head = await send('HEAD', base + path, headers);
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
    const path = `${base}/api/products?limit=50`;
    const { headers } = await send('GET', path, auth);
    const conditional = { ...auth, 'accept-encoding': 'br', 'if-none-match': String(headers['etag']) };
    const got = await send('GET', path, conditional);
    const head = await send('HEAD', path, conditional);
    expect(representationOf(head)).toEqual(representationOf(got));
    expect(representationOf(head)).toMatchObject({ status: 304, encoding: undefined, etag: headers['etag'] });
    expect(head.headers['content-length']).toBeUndefined();
  });

  it('GET with If-Match: * is answered; with a tag (weak ones never match, RFC 9110 §13.1.1) it is a problem 412', async () => {
    const path = `${base}/api/home`;
    const { headers } = await send('GET', path, auth);
    expect((await send('GET', path, { ...auth, 'if-match': '*' })).status).toBe(200);
    const refused = await send('GET', path, { ...auth, 'if-match': String(headers['etag']) });
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
    expect((await send('GET', `${base}/api/home`, { 'if-match': '"x"' })).status).toBe(401);
  });

  it('POST /api/home is a 405 counted under the route /api/home, not `unmatched`', async () => {
    const res = await send('POST', `${base}/api/home`, auth);
    expect([res.status, res.headers['allow']]).toEqual([405, 'GET, HEAD']);
    const metrics = (await send('GET', `${base}/metrics`)).body.toString('utf8');
    expect(metrics).toMatch(
      /^http_requests_total\{route="\/api\/home",method="POST",status="405"[^}]*\} 1$/m,
    );
  });
});
