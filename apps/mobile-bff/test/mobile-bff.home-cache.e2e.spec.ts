import { request } from 'node:http';
import { loadConfig } from '@frontdoor/config';
import { estateEnv, startDemoEstate, type DemoEstate } from '@frontdoor/demo-estate';
import type { BffApp } from '@frontdoor/platform';
import { createMobileBff } from '../src/app/create-mobile-bff';
import { mobileSchema } from '../src/app/mobile.config';

interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** A GET as sent: no transparent decompression, no cache of its own. */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: pathname + search, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject).end();
  });
}

/**
 * L5: the home screen holds the user's own data (name, orders): `Cache-Control: private, no-cache` — no
 * shared cache keeps it, the phone's own cache asks again every time, and ETag/304 keeps asking again cheap.
 */
describe('mobile-bff home Cache-Control e2e (L5)', () => {
  let estate: DemoEstate;
  let app: BffApp;
  let base: string;
  let auth: Record<string, string>;

  beforeAll(async () => {
    estate = await startDemoEstate();
    app = await createMobileBff(
      loadConfig(mobileSchema, {
        ...estateEnv(estate),
        ROUTE_DEADLINE_MS: '800',
        RETRY_MAX_ATTEMPTS: '1',
        BREAKER_FAILURES: '1000',
      }),
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

  it('GET /api/home is private, no-cache, with an ETag; its 304 says the same', async () => {
    const first = await get(`${base}/api/home`, auth);
    expect([first.status, first.headers['cache-control']]).toEqual([200, 'private, no-cache']);
    const etag = String(first.headers['etag']);
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    const again = await get(`${base}/api/home`, { ...auth, 'if-none-match': etag });
    // RFC 9110 §15.4.5: a 304 carries the Cache-Control the 200 would have
    expect([again.status, again.headers['cache-control'], again.headers['etag'], again.body]).toEqual([
      304,
      'private, no-cache',
      etag,
      '',
    ]);
  });

  it('compressed, it is private, no-cache too', async () => {
    const packed = await get(`${base}/api/home`, { ...auth, 'accept-encoding': 'gzip' });
    expect([packed.status, packed.headers['content-encoding'], packed.headers['cache-control']]).toEqual([
      200,
      'gzip',
      'private, no-cache',
    ]);
  });

  it('a degraded home stays no-store (a copy must not outlive the failure)', async () => {
    estate.setFault('customers', { mode: 'garbage' });
    try {
      const res = await get(`${base}/api/home`, auth);
      expect([res.status, res.headers['x-degraded'], res.headers['cache-control']]).toEqual([
        200,
        'partial',
        'no-store',
      ]);
    } finally {
      estate.setFault('customers', {});
    }
  });

  it('refusals are no-store problems, as every problem', async () => {
    const res = await get(`${base}/api/home`);
    expect([res.status, res.headers['cache-control']]).toEqual([401, 'no-store']);
  });
});
