import { Controller, Get, NotFoundException } from '@nestjs/common';
import { Public } from '@frontdoor/rbac';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { expandAcceptEncodingWildcard } from './accept-encoding';
import { matchesIfMatch, matchesIfNoneMatch } from './etag.hook';
import { listenApp, observedModule } from './testing/listen-app';

const BIG = { items: Array.from({ length: 200 }, (_, i) => ({ sku: `SKU-${i}`, name: 'A fairly long product name', price: i })) };

@Public()
@Controller('p')
class PageController {
  @Get()
  page(): typeof BIG {
    return BIG;
  }

  /** Under the 1 KiB compression threshold: sent as is whatever the client accepts. */
  @Get('small')
  small(): { ok: true } {
    return { ok: true };
  }

  @Get('missing')
  missing(): never {
    throw new NotFoundException();
  }
}

function get(
  base: string,
  headers: Record<string, string>,
  method = 'GET',
  path = '/p',
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    request({ host: hostname, port, path, headers, method }, (res) => {
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

  /** The header fields a HEAD must carry as its GET does (RFC 9110 §9.3.2), Content-Length aside. */
  const representationHeaders = (headers: Record<string, unknown>) => ({
    'content-type': headers['content-type'],
    'content-encoding': headers['content-encoding'],
    vary: headers['vary'],
    etag: headers['etag'],
    'cache-control': headers['cache-control'],
    'x-content-type-options': headers['x-content-type-options'],
  });

  it.each([['br'], ['gzip'], ['br;q=0.5, gzip'], ['identity'], ['']])(
    'HEAD with Accept-Encoding %j carries the header fields of its GET (RFC 9110 §9.3.2): the same Content-Encoding, Vary and ETag',
    async (acceptEncoding) => {
      const headers: Record<string, string> =
        acceptEncoding === '' ? {} : { 'accept-encoding': acceptEncoding };
      const [got, head] = [await get(base, headers), await get(base, headers, 'HEAD')];
      expect([got.status, head.status]).toEqual([200, 200]);
      expect(head.body.length).toBe(0);
      expect(representationHeaders(head.headers)).toEqual(representationHeaders(got.headers));
      if (got.headers['content-encoding'] === undefined) {
        // identity: the length of the bytes its GET sends
        expect(head.headers['content-length']).toBe(String(got.body.length));
      } else {
        // compressed: never the identity length; the compressed one is known only once the bytes are made (GET: chunked)
        expect(head.headers['content-length']).toBeUndefined();
      }
    },
  );

  it('HEAD of an answer under the compression threshold carries its identity length, as its GET does', async () => {
    const headers = { 'accept-encoding': 'br, gzip' };
    const [got, head] = [
      await get(base, headers, 'GET', '/p/small'),
      await get(base, headers, 'HEAD', '/p/small'),
    ];
    expect(got.headers['content-encoding']).toBeUndefined();
    expect(representationHeaders(head.headers)).toEqual(representationHeaders(got.headers));
    expect(head.headers['content-length']).toBe(String(got.body.length));
  });

  it('HEAD with a matching If-None-Match and Accept-Encoding is the 304 its GET gets: no Content-Encoding, no Content-Length', async () => {
    const etag = String((await get(base, {})).headers['etag']);
    const headers = { 'accept-encoding': 'br', 'if-none-match': etag };
    const [got, head] = [await get(base, headers), await get(base, headers, 'HEAD')];
    expect([got.status, head.status]).toEqual([304, 304]);
    expect(representationHeaders(head.headers)).toEqual(representationHeaders(got.headers));
    expect(head.headers['content-encoding']).toBeUndefined();
    expect(head.headers['content-length']).toBeUndefined();
    expect(head.body.length).toBe(0);
  });

  it.each([['GET'], ['HEAD']])(
    '%s with If-Match: * is answered (a current representation exists)',
    async (method) => {
      const res = await get(base, { 'if-match': '*' }, method);
      expect(res.status).toBe(200);
      expect(res.headers['etag']).toMatch(/^W\//);
    },
  );

  it.each([
    ['GET', 'the weak tag itself (strong comparison: a weak tag matches nothing)', (etag: string) => etag],
    ['GET', 'the tag made strong', (etag: string) => etag.slice(2)],
    ['GET', 'another tag', () => '"other"'],
    ['HEAD', 'the weak tag itself', (etag: string) => etag],
  ])(
    '%s with If-Match naming %s is a problem 412, the representation not sent (RFC 9110 §13.1.1)',
    async (method, _what, ifMatch) => {
      const etag = String((await get(base, {})).headers['etag']);
      const res = await get(base, { 'if-match': ifMatch(etag), 'accept-encoding': 'br' }, method);
      expect(res.status).toBe(412);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.headers['etag']).toBeUndefined();
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['x-request-id']).toBeDefined();
      const problem = {
        type: 'urn:frontdoor:problem:precondition-failed',
        title: 'Precondition Failed',
        status: 412,
        detail: expect.stringContaining('If-Match'),
        instance: '/p',
        requestId: res.headers['x-request-id'],
      };
      if (method === 'GET') expect(JSON.parse(res.body.toString())).toEqual(problem);
      else expect(res.body.length).toBe(0);
    },
  );

  it('evaluates If-Match before If-None-Match (RFC 9110 §13.2.2): a false If-Match is a 412 even when If-None-Match matches', async () => {
    const etag = String((await get(base, {})).headers['etag']);
    expect((await get(base, { 'if-match': '"other"', 'if-none-match': etag })).status).toBe(412);
    expect((await get(base, { 'if-match': '*', 'if-none-match': etag })).status).toBe(304);
  });

  it('ignores If-Match on an answer that would not be a 2xx (RFC 9110 §13.2.1)', async () => {
    const res = await get(base, { 'if-match': '"other"' }, 'GET', '/p/missing');
    expect(res.status).toBe(404);
  });

  it.each([
    ['*', 'W/"a"', true],
    [' * ', 'W/"a"', true],
    ['W/"a"', 'W/"a"', false],
    ['"a"', 'W/"a"', false],
    ['"a"', '"a"', true],
    ['"b", "a"', '"a"', true],
    ['W/"a"', '"a"', false],
    ['"b"', '"a"', false],
    // a representation without a tag
    ['*', undefined, true],
    ['"a"', undefined, false],
  ])('If-Match %s against %s → %s', (header, etag, match) => {
    expect(matchesIfMatch(header, etag)).toBe(match);
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
