import { sendRaw, startMobileTestApp, type MobileTestApp } from './mobile-test-app';

/** A GET as sent (no transparent decompression, no cache of its own), its body as text. */
async function get(url: string, headers: Record<string, string> = {}) {
  const answer = await sendRaw('GET', url, headers);
  return { ...answer, body: answer.body.toString('utf8') };
}

/**
 * L5: the home screen holds the user's own data (name, orders): `Cache-Control: private, no-cache` — no
 * shared cache keeps it, the phone's own cache asks again every time, and ETag/304 keeps asking again cheap.
 */
describe('mobile-bff home and catalogue Cache-Control e2e (L5)', () => {
  let t: MobileTestApp;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await startMobileTestApp({ env: { RETRY_MAX_ATTEMPTS: '1', BREAKER_FAILURES: '1000' } });
    auth = { authorization: await t.bearer('sam', ['sales']) };
  });

  afterAll(async () => t?.close());

  it.each(['/api/home', '/api/products?limit=2'])('GET %s is private, no-cache, with an ETag; its 304 says the same', async (path) => {
    const first = await get(`${t.base}${path}`, auth);
    expect([first.status, first.headers['cache-control']]).toEqual([200, 'private, no-cache']);
    const etag = String(first.headers['etag']);
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    const again = await get(`${t.base}${path}`, { ...auth, 'if-none-match': etag });
    // RFC 9110 §15.4.5: a 304 carries the Cache-Control the 200 would have
    expect([again.status, again.headers['cache-control'], again.headers['etag'], again.body]).toEqual([
      304,
      'private, no-cache',
      etag,
      '',
    ]);
  });

  it('compressed, it is private, no-cache too', async () => {
    const packed = await get(`${t.base}/api/home`, { ...auth, 'accept-encoding': 'gzip' });
    expect([packed.status, packed.headers['content-encoding'], packed.headers['cache-control']]).toEqual([
      200,
      'gzip',
      'private, no-cache',
    ]);
  });

  it('a degraded home stays no-store (a copy must not outlive the failure)', async () => {
    t.estate.setFault('customers', { mode: 'garbage' });
    try {
      const res = await get(`${t.base}/api/home`, auth);
      expect([res.status, res.headers['x-degraded'], res.headers['cache-control']]).toEqual([
        200,
        'partial',
        'no-store',
      ]);
    } finally {
      t.estate.setFault('customers', {});
    }
  });

  it('refusals are no-store problems, as every problem', async () => {
    const res = await get(`${t.base}/api/home`);
    expect([res.status, res.headers['cache-control']]).toEqual([401, 'no-store']);
  });
});
