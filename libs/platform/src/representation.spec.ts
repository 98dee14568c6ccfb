import { Body, Controller, Get, Post } from '@nestjs/common';
import { asDegraded } from '@frontdoor/aggregation';
import { Produces, Public, XmlRoot } from '@frontdoor/rbac';
import { rawRequest } from '@frontdoor/testing';
import { XMLParser } from 'fast-xml-parser';
import { listenApp, observedModule } from './testing/listen-app';
import { AcceptsXmlBody } from './xml-body.parser';

const PRODUCT = { sku: 'SKU-00001', name: 'Café <crème> & "tea"', price: 12.5, tags: ['a', 'b'], account: '0012' };

@Public()
@Controller('r')
class RepresentationController {
  @Get('product')
  @XmlRoot('product')
  product(): typeof PRODUCT {
    return PRODUCT;
  }

  @Get('degraded')
  degraded(): object {
    return asDegraded({ summary: 1 }, { reason: 'partial', missing: ['stockAlerts'] });
  }

  @Get('not-xml')
  notXml(): object {
    return { 'not an xml name': 1 };
  }

  @Get('text')
  @Produces('text/plain')
  text(): string {
    return 'plain';
  }

  @AcceptsXmlBody()
  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return { received: body };
  }
}

const xml = new XMLParser({ parseTagValue: false, ignoreAttributes: false });

describe('content negotiation, XML bodies and degraded answers (on a real socket)', () => {
  let base: string;
  let close: () => Promise<void>;
  beforeAll(async () => ({ url: base, close } = await listenApp(observedModule([RepresentationController]), { server: { bodyLimitBytes: 2048 } })));
  afterAll(() => close());

  const get = (path: string, accept?: string) => rawRequest(base, path, { headers: accept === undefined ? {} : { accept } });

  it.each([undefined, '*/*', 'application/json', 'application/*', 'text/html, application/json;q=0.5', 'application/xml;q=0.1, application/json'])(
    'Accept %j → JSON',
    async (accept) => {
      const res = await get('/r/product', accept);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.body)).toEqual(PRODUCT);
    },
  );

  it.each(['application/xml', 'application/xml, application/json;q=0.9', 'text/html, application/xml'])('Accept %j → XML a real parser reads back', async (accept) => {
    const res = await get('/r/product', accept);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.body.startsWith('<?xml version="1.0" encoding="UTF-8"?><product>')).toBe(true);
    expect(xml.parse(res.body)).toMatchObject({
      product: { sku: 'SKU-00001', name: 'Café <crème> & "tea"', price: '12.5', tags: { tag: ['a', 'b'] }, account: '0012' },
    });
  });

  it.each(['text/html', 'image/png', 'application/json;q=0, application/xml;q=0'])('Accept %j → 406 problem+json before the handler', async (accept) => {
    const res = await get('/r/product', accept);
    expect(res.status).toBe(406);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ type: 'urn:frontdoor:problem:not-acceptable', status: 406, requestId: res.headers['x-request-id'] });
  });

  it('answers 406 when the answer cannot be written as XML (keys are never repaired)', async () => {
    const res = await get('/r/not-xml', 'application/xml');
    expect(res.status).toBe(406);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+xml/);
    expect((await get('/r/not-xml')).status).toBe(200);
  });

  it('leaves a route that writes its own media type alone', async () => {
    const res = await get('/r/text', 'text/plain');
    expect(res.status).toBe(200);
    expect(res.body).toBe('plain');
  });

  it.each([
    [undefined, /^application\/json/],
    ['application/xml', /^application\/xml/],
  ])('marks a degraded answer (Accept %j): 200, X-Degraded, no-store, body field', async (accept, type) => {
    const res = await get('/r/degraded', accept);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(type);
    expect(res.headers['x-degraded']).toBe('partial');
    expect(res.headers['cache-control']).toBe('no-store');
    const body = accept === undefined ? JSON.parse(res.body) : xml.parse(res.body)['response'];
    expect(body).toMatchObject({ summary: expect.anything(), degraded: { reason: 'partial', missing: accept ? { item: 'stockAlerts' } : ['stockAlerts'] } });
  });

  it.each([
    ['a JSON answer', '/r/product', undefined, 200],
    ['an XML answer', '/r/product', 'application/xml', 200],
    ['a 406', '/r/product', 'text/html', 406],
    ['a 404 problem (no route)', '/r/nowhere', 'application/xml', 404],
  ])('says it varies with Accept: %s', async (_label, path, accept, status) => {
    const res = await get(path, accept);
    expect(res.status).toBe(status);
    expect(String(res.headers['vary']).toLowerCase().split(/\s*,\s*/)).toEqual(['accept']); // once; no compression here
  });

  describe('If-Match on an app that sends no ETag (RFC 9110 §13.1.1)', () => {
    const withIfMatch = (method: string, path: string, ifMatch: string, accept?: string) =>
      rawRequest(base, path, {
        method,
        headers: { 'if-match': ifMatch, 'content-type': 'application/json', ...(accept === undefined ? {} : { accept }) },
        ...(method === 'POST' ? { body: '{"a":1}' } : {}),
      });

    it.each([
      ['GET', '"abc"', undefined, /^application\/problem\+json/],
      ['GET', 'W/"abc", "def"', undefined, /^application\/problem\+json/],
      ['GET', '"abc"', 'application/xml', /^application\/problem\+xml/],
      ['POST', '"abc"', undefined, /^application\/problem\+json/],
    ])('%s with If-Match %s (Accept %j) is a 412 problem: an untagged resource matches only *', async (method, ifMatch, accept, type) => {
      const path = method === 'POST' ? '/r/echo' : '/r/product';
      const res = await withIfMatch(method, path, ifMatch, accept);
      expect(res.status).toBe(412);
      expect(res.headers['content-type']).toMatch(type);
      expect(res.body).toContain('precondition-failed');
      expect(res.headers['etag']).toBeUndefined();
    });

    it('HEAD with a false If-Match is a 412 too, without a body', async () => {
      const res = await withIfMatch('HEAD', '/r/product', '"abc"');
      expect([res.status, res.body]).toEqual([412, '']);
    });

    it.each([
      ['GET', '/r/product', 200],
      ['POST', '/r/echo', 201],
    ])('%s with If-Match * is served (%s → %d)', async (method, path, status) => {
      expect((await withIfMatch(method, path, '*')).status).toBe(status);
    });

    it('is ignored where the answer would not be a 2xx anyway (§13.2.1): a 404 stays a 404', async () => {
      expect((await withIfMatch('GET', '/r/nowhere', '"abc"')).status).toBe(404);
      expect((await withIfMatch('POST', '/r/nowhere', '"abc"')).status).toBe(404);
    });
  });

  it('does not mark a normal answer', async () => {
    const res = await get('/r/product');
    expect(res.headers['x-degraded']).toBeUndefined();
  });

  describe('XML request bodies', () => {
    const post = (body: string, contentType = 'application/xml') =>
      rawRequest(base, '/r/echo', { method: 'POST', headers: { 'content-type': contentType }, body });

    it.each(['application/xml', 'text/xml', 'application/vnd.acme.order+xml; charset=utf-8'])('parses %s into a plain object, values as strings', async (type) => {
      const res = await post('<order><customerId>C0001</customerId><qty>007</qty></order>', type);
      expect(res.status).toBe(201);
      expect(JSON.parse(res.body)).toEqual({ received: { order: { customerId: 'C0001', qty: '007' } } });
    });

    it('decodes an ISO-8859-1 body by its declared charset', async () => {
      const { request } = await import('node:http');
      const { hostname, port } = new URL(base);
      const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><n>Caf\xe9</n>', 'latin1');
      const status = await new Promise<[number, string]>((resolve, reject) => {
        const req = request({ host: hostname, port, method: 'POST', path: '/r/echo', headers: { 'content-type': 'application/xml' } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve([res.statusCode ?? 0, text]));
        });
        req.on('error', reject);
        req.end(latin1);
      });
      expect(status).toEqual([201, JSON.stringify({ received: { n: 'Café' } })]);
    });

    it.each([
      ['malformed XML', '<order><a>1</order>', 400, 'The request body is not well-formed XML.'],
      ['a DOCTYPE (billion laughs)', '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l "lol">]><l>&l;</l>', 400, 'Document type declarations are not allowed in request bodies.'],
      ['an external entity', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', 400, 'Document type declarations are not allowed in request bodies.'],
      ['a __proto__ element', '<a><__proto__><x>1</x></__proto__></a>', 400, 'The request body uses a reserved element name.'],
      ['a body over the limit', `<a>${'x'.repeat(4096)}</a>`, 413, 'The request body is too large.'],
    ])('refuses %s with a problem+json quoting nothing', async (_label, body, status, detail) => {
      const res = await post(body);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body)).toMatchObject({ status, detail, requestId: res.headers['x-request-id'] });
      expect(res.body).not.toMatch(/passwd|lol|__proto__|<a>/);
    });
  });
});
