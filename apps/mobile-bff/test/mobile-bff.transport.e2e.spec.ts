import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { sendRaw, startMobileTestApp, type MobileTestApp, type WireAnswer } from './mobile-test-app';

/** A GET that shows the bytes exactly as sent: no Accept-Encoding unless given, no transparent decompression. */
const getBytes = (url: string, headers: Record<string, string> = {}) => sendRaw('GET', url, headers);

/** What a phone on a slow link gets: validators, 304s, compression, and far fewer bytes than the backend sends. */
describe('mobile-bff transport e2e (ETag/304, gzip/brotli, payload budget)', () => {
  let t: MobileTestApp;
  let auth: Record<string, string>;
  /** inventory's own `GET /products?limit=20`, identity encoding, read before the estate starts requiring gateway tokens. */
  let inventoryPage: WireAnswer;

  beforeAll(async () => {
    t = await startMobileTestApp({
      beforeStart: async (estate) => {
        inventoryPage = await getBytes(`${estate.urls.inventory}/products?limit=20`, {
          'accept-encoding': 'identity',
        });
      },
    });
    auth = { authorization: await t.bearer('sam', ['sales']) };
  });

  afterAll(async () => t?.close());

  it.each([['/api/products?limit=20'], ['/api/products?limit=5&tag=kitchen'], ['/api/home']])(
    'GET %s carries an ETag; If-None-Match with the same token → 304 without a body',
    async (path) => {
      const first = await getBytes(t.base + path, auth);
      expect(first.status).toBe(200);
      const etag = String(first.headers['etag']);
      expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
      const again = await getBytes(t.base + path, { ...auth, 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.headers['etag']).toBe(etag);
      expect(again.headers['x-request-id']).toBeDefined();
      expect((await getBytes(t.base + path, { ...auth, 'if-none-match': 'W/"stale"' })).status).toBe(200);
    },
  );

  it('a 304 still needs a valid token: a validator never bypasses authentication', async () => {
    const { headers } = await getBytes(`${t.base}/api/home`, auth);
    expect((await getBytes(`${t.base}/api/home`, { 'if-none-match': String(headers['etag']) })).status).toBe(
      401,
    );
  });

  it('another page has another ETag', async () => {
    const [a, b] = await Promise.all([
      getBytes(`${t.base}/api/products?limit=20`, auth),
      getBytes(`${t.base}/api/products?limit=21`, auth),
    ]);
    expect(a.headers['etag']).not.toBe(b.headers['etag']);
  });

  it.each([
    ['br', (b: Buffer) => brotliDecompressSync(b)],
    ['gzip', (b: Buffer) => gunzipSync(b)],
  ])(
    'compresses with %s by Accept-Encoding: same JSON and ETag, a fraction of the bytes',
    async (encoding, decode) => {
      const path = `${t.base}/api/products?limit=50`;
      const plain = await getBytes(path, { ...auth, 'accept-encoding': 'identity' });
      const packed = await getBytes(path, { ...auth, 'accept-encoding': encoding });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(packed.headers['content-encoding']).toBe(encoding);
      expect(String(packed.headers['vary'])).toMatch(/accept-encoding/i);
      expect(packed.body.length).toBeLessThan(plain.body.length / 3);
      expect(JSON.parse(decode(packed.body).toString('utf8'))).toEqual(
        JSON.parse(plain.body.toString('utf8')),
      );
      expect(packed.headers['etag']).toBe(plain.headers['etag']);
    },
  );

  it('the home screen is compressed too', async () => {
    const packed = await getBytes(`${t.base}/api/home`, { ...auth, 'accept-encoding': 'br, gzip' });
    expect(packed.status).toBe(200);
    const text =
      packed.headers['content-encoding'] === 'br'
        ? brotliDecompressSync(packed.body).toString('utf8')
        : packed.body.toString('utf8');
    expect(JSON.parse(text)).toHaveProperty('featured');
  });

  it('payload budget: a page of 20 products on mobile is at most a fifth of the bytes inventory sends for it', async () => {
    const mobile = await getBytes(`${t.base}/api/products?limit=20`, {
      ...auth,
      'accept-encoding': 'identity',
    });
    expect(inventoryPage.status).toBe(200);
    expect(mobile.status).toBe(200);
    expect(mobile.headers['content-encoding']).toBeUndefined();
    const upstream = JSON.parse(inventoryPage.body.toString('utf8')) as { items: { sku: string }[] };
    const trimmed = JSON.parse(mobile.body.toString('utf8')) as { items: { sku: string }[] };
    expect(trimmed.items.map((i) => i.sku)).toEqual(upstream.items.map((i) => i.sku));
    expect(mobile.body.length * 5).toBeLessThanOrEqual(inventoryPage.body.length);
  });
});
