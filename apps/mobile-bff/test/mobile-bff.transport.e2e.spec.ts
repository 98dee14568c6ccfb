import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
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

/** A GET that shows the bytes exactly as sent: no Accept-Encoding unless given, no transparent decompression. */
function getBytes(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: pathname + search, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject).end();
  });
}

/** What a phone on a slow link gets: validators, 304s, compression, and far fewer bytes than the backend sends. */
describe('mobile-bff transport e2e (ETag/304, gzip/brotli, payload budget)', () => {
  let estate: DemoEstate;
  let app: BffApp;
  let base: string;
  let auth: Record<string, string>;
  /** inventory's own `GET /products?limit=20`, identity encoding, read before the estate starts requiring gateway tokens. */
  let inventoryPage: Answer;

  beforeAll(async () => {
    estate = await startDemoEstate();
    inventoryPage = await getBytes(`${estate.urls.inventory}/products?limit=20`, { 'accept-encoding': 'identity' });
    app = await createMobileBff(loadConfig(mobileSchema, { ...estateEnv(estate), ROUTE_DEADLINE_MS: '800' }));
    await app.nest.listen(0, '127.0.0.1');
    base = await app.nest.getUrl();
    estate.trustGateways([`${base}/.well-known/jwks.json`]);
    auth = { authorization: `Bearer ${await estate.issueToken({ sub: 'sam', roles: ['sales'] })}` };
  });

  afterAll(async () => {
    await app?.nest.close();
    await estate?.stop();
  });

  it.each([['/api/products?limit=20'], ['/api/products?limit=5&tag=kitchen'], ['/api/home']])('GET %s carries an ETag; If-None-Match with the same token → 304 without a body', async (path) => {
    const first = await getBytes(base + path, auth);
    expect(first.status).toBe(200);
    const etag = String(first.headers['etag']);
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    const again = await getBytes(base + path, { ...auth, 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers['etag']).toBe(etag);
    expect(again.headers['x-request-id']).toBeDefined();
    expect((await getBytes(base + path, { ...auth, 'if-none-match': 'W/"stale"' })).status).toBe(200);
  });

  it('a 304 still needs a valid token: a validator never bypasses authentication', async () => {
    const { headers } = await getBytes(`${base}/api/home`, auth);
    expect((await getBytes(`${base}/api/home`, { 'if-none-match': String(headers['etag']) })).status).toBe(401);
  });

  it('another page has another ETag', async () => {
    const [a, b] = await Promise.all([getBytes(`${base}/api/products?limit=20`, auth), getBytes(`${base}/api/products?limit=21`, auth)]);
    expect(a.headers['etag']).not.toBe(b.headers['etag']);
  });

  it.each([
    ['br', (b: Buffer) => brotliDecompressSync(b)],
    ['gzip', (b: Buffer) => gunzipSync(b)],
  ])('compresses with %s by Accept-Encoding: same JSON and ETag, a fraction of the bytes', async (encoding, decode) => {
    const path = `${base}/api/products?limit=50`;
    const plain = await getBytes(path, { ...auth, 'accept-encoding': 'identity' });
    const packed = await getBytes(path, { ...auth, 'accept-encoding': encoding });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(packed.headers['content-encoding']).toBe(encoding);
    expect(String(packed.headers['vary'])).toMatch(/accept-encoding/i);
    expect(packed.body.length).toBeLessThan(plain.body.length / 3);
    expect(JSON.parse(decode(packed.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
    expect(packed.headers['etag']).toBe(plain.headers['etag']);
  });

  it('the home screen is compressed too', async () => {
    const packed = await getBytes(`${base}/api/home`, { ...auth, 'accept-encoding': 'br, gzip' });
    expect(packed.status).toBe(200);
    const text = packed.headers['content-encoding'] === 'br' ? brotliDecompressSync(packed.body).toString('utf8') : packed.body.toString('utf8');
    expect(JSON.parse(text)).toHaveProperty('featured');
  });

  it('payload budget: a page of 20 products on mobile is at most a fifth of the bytes inventory sends for it', async () => {
    const mobile = await getBytes(`${base}/api/products?limit=20`, { ...auth, 'accept-encoding': 'identity' });
    expect(inventoryPage.status).toBe(200);
    expect(mobile.status).toBe(200);
    expect(mobile.headers['content-encoding']).toBeUndefined();
    const upstream = JSON.parse(inventoryPage.body.toString('utf8')) as { items: { sku: string }[] };
    const trimmed = JSON.parse(mobile.body.toString('utf8')) as { items: { sku: string }[] };
    expect(trimmed.items.map((i) => i.sku)).toEqual(upstream.items.map((i) => i.sku));
    expect(mobile.body.length * 5).toBeLessThanOrEqual(inventoryPage.body.length);
  });
});
