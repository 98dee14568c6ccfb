import { Controller, Get } from '@nestjs/common';
import { Public } from '@frontdoor/rbac';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { expandAcceptEncodingWildcard } from './accept-encoding';
import { matchesIfNoneMatch } from './etag.hook';
import { listenApp, observedModule } from './testing/listen-app';

const BIG = { items: Array.from({ length: 200 }, (_, i) => ({ sku: `SKU-${i}`, name: 'A fairly long product name', price: i })) };

@Public()
@Controller('p')
class PageController {
  @Get()
  page(): typeof BIG {
    return BIG;
  }
}

function get(base: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    request({ host: hostname, port, path: '/p', headers, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('ETag and compression (mobile)', () => {
  let base: string;
  let close: () => Promise<void>;
  beforeAll(async () => ({ url: base, close } = await listenApp(observedModule([PageController]), { etag: true, compression: true })));
  afterAll(() => close());

  it('tags GET answers and answers 304 with no body to If-None-Match', async () => {
    const first = await get(base, {});
    const etag = String(first.headers['etag']);
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    const again = await get(base, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // RFC 9110 §8.6: a 304 sends no Content-Length unless it is the 200's (a cache may overwrite its stored one)
    expect(again.headers['content-length']).toBeUndefined();
    expect(again.headers['content-type']).toBeUndefined();
    expect((await get(base, { 'if-none-match': 'W/"other"' })).status).toBe(200);
  });

  it('answers a HEAD with a matching If-None-Match 304 as a GET is answered (RFC 9110 §9.3.2), not 500', async () => {
    const head = await get(base, {}, 'HEAD');
    expect(head.status).toBe(200);
    const etag = String(head.headers['etag']);
    expect(etag).toBe(String((await get(base, {})).headers['etag']));
    for (const condition of [etag, '*']) {
      const again = await get(base, { 'if-none-match': condition }, 'HEAD');
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.headers['etag']).toBe(etag);
      expect(again.headers['content-type']).toBeUndefined();
      // absent, or the 200's own length (RFC 9110 §8.6), never a made-up 0
      expect([undefined, head.headers['content-length']]).toContain(again.headers['content-length']);
    }
  });

  it.each([
    ['br', (b: Buffer) => brotliDecompressSync(b)],
    ['gzip', (b: Buffer) => gunzipSync(b)],
  ])('compresses with %s by Accept-Encoding, with the same ETag', async (encoding, decode) => {
    const plain = await get(base, {});
    const packed = await get(base, { 'accept-encoding': encoding });
    expect(packed.headers['content-encoding']).toBe(encoding);
    expect(packed.headers['vary']).toMatch(/accept-encoding/i);
    expect(packed.body.length).toBeLessThan(plain.body.length / 3);
    expect(JSON.parse(decode(packed.body).toString())).toEqual(BIG);
    expect(packed.headers['etag']).toBe(plain.headers['etag']);
  });

  it.each([
    ['gzip;q=0, *', 'br'],
    ['br;q=0, *', 'gzip'],
    ['br;q=0, gzip;q=0, *', undefined],
    ['*;q=0', undefined],
    ['*', 'br'],
    ['gzip, *;q=0.1', 'gzip'],
  ])('Accept-Encoding %s → %s: `*` is every coding not named (RFC 9110 §12.5.3), not gzip', async (acceptEncoding, coding) => {
    const res = await get(base, { 'accept-encoding': acceptEncoding });
    expect(res.headers['content-encoding']).toBe(coding);
    expect(JSON.parse((coding === 'br' ? brotliDecompressSync(res.body) : coding === 'gzip' ? gunzipSync(res.body) : res.body).toString())).toEqual(BIG);
  });

  it.each([
    ['gzip', 'gzip'],
    ['gzip;q=0, *', 'gzip;q=0, br'],
    ['*;q=0.5', 'br;q=0.5, gzip;q=0.5'],
    ['BR, *', 'BR, gzip'],
    ['br, gzip, *', 'br, gzip'],
  ])('expands %j to %j', (header, expected) => {
    expect(expandAcceptEncodingWildcard(header, ['br', 'gzip'])).toBe(expected);
  });

  it('says it varies with Accept and Accept-Encoding, compressed or not, each once (a cache must not serve the other form)', async () => {
    const tokens = (value: unknown) => String(value).toLowerCase().split(/\s*,\s*/).sort();
    const plain = await get(base, {});
    const packed = await get(base, { 'accept-encoding': 'gzip' });
    const tagged = await get(base, { 'if-none-match': String(plain.headers['etag']) });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(tokens(plain.headers['vary'])).toEqual(['accept', 'accept-encoding']);
    expect(tokens(packed.headers['vary'])).toEqual(['accept', 'accept-encoding']);
    expect(tagged.status).toBe(304);
    expect(tokens(tagged.headers['vary'])).toEqual(['accept', 'accept-encoding']);
  });

  it.each([
    ['W/"a"', 'W/"a"', true],
    ['"a"', 'W/"a"', true],
    ['W/"b", W/"a"', 'W/"a"', true],
    ['*', 'W/"a"', true],
    ['W/"b"', 'W/"a"', false],
    [undefined, 'W/"a"', false],
  ])('If-None-Match %s against %s → %s', (header, etag, match) => {
    expect(matchesIfNoneMatch(header, etag)).toBe(match);
  });
});
