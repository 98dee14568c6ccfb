import { SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { DEMO_IDS } from '@frontdoor/demo-estate';
import { OpenApiDocuments } from '../src/openapi/openapi.documents';
import { departures } from './openapi-conformance';
import { startPartnerTestApp, type PartnerTestApp } from './partner-test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking OpenAPI JSON

/** What a browser sends when the document's URL is opened in it: JSON only through `*\/*`. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** The published OpenAPI documents and the rendered docs: public, limited per IP, generated once, true to the answers. */
describe('partner-bff OpenAPI and /docs e2e', () => {
  let t: PartnerTestApp;
  const scans = jest.spyOn(SwaggerModule, 'createDocument');

  beforeAll(async () => {
    t = await startPartnerTestApp({ PARTNER_PLANS: 'free:200:100000,gold:500:1000000', RATE_LIMIT_ANON_RPS: '8' });
  });
  afterAll(async () => {
    scans.mockRestore();
    await t?.close();
  });
  const anonymous = (path: string, headers: Record<string, string> = {}) => fetch(t.base + path, { headers });
  const nextSecond = () => new Promise((r) => setTimeout(r, 1100));

  it.each(['v1', 'v2'] as const)('/%s/openapi.json is public JSON, limited per client IP, and is the document built at start', async (version) => {
    const res = await anonymous(`/${version}/openapi.json`, { accept: BROWSER_ACCEPT });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('ratelimit-limit')).toBe('8');
    const doc = (await res.json()) as Json;
    expect(doc).toEqual(t.app.nest.get(OpenApiDocuments).get(version).document);
    expect(doc['openapi']).toMatch(/^3\./);
    expect(doc['components']['securitySchemes']).toEqual({ apiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }) });
    expect(doc['security']).toEqual([{ apiKey: [] }]);
    expect(Object.keys(doc['paths']).every((p) => p.startsWith(`/${version}/`))).toBe(true);
    const post = doc['paths'][`/${version}/orders`]['post'];
    expect(post['parameters']).toContainEqual(expect.objectContaining({ in: 'header', name: 'Idempotency-Key', required: true }));
    expect(Object.keys(post['requestBody']['content'])).toEqual(['application/json', 'application/xml']);
    for (const [path, item] of Object.entries(doc['paths'] as Json)) {
      for (const [method, op] of Object.entries(item as Json)) {
        expect([`${method} ${path}`, op['summary']]).toEqual([`${method} ${path}`, expect.any(String)]);
        expect(op['deprecated'] === true).toBe(version === 'v1');
        for (const status of ['401', '406', '429']) {
          expect(op['responses'][status]['content']['application/problem+json']['schema']).toEqual({ $ref: '#/components/schemas/Problem' });
          expect(op['responses'][status]['content']).toHaveProperty(['application/problem+xml']);
        }
      }
    }
  });

  describe('Accept: JSON or 406, negotiated as every answer is', () => {
    beforeEach(nextSecond);
    /** fetch always sends an Accept (`*\/*`): node:http sends none unless told. */
    const getDocument = (path: string, accept: string | undefined) =>
      new Promise<{ status: number; type: string | undefined; limit: unknown; body: string }>(
        (resolve, reject) => {
          const url = new URL(path, t.base);
          request(url, { headers: accept === undefined ? {} : { accept }, agent: false }, (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                type: res.headers['content-type'],
                limit: res.headers['ratelimit-limit'],
                body,
              }),
            );
          })
            .on('error', reject)
            .end();
        },
      );

    it.each([
      ['no Accept', undefined],
      ['*/*', '*/*'],
      ['application/*', 'application/*'],
      ['application/json', 'application/json'],
      ['a browser (JSON through */*;q=0.8)', BROWSER_ACCEPT],
    ])('%s gets the JSON document', async (_label, accept) => {
      for (const version of ['v1', 'v2']) {
        const res = await getDocument(`/${version}/openapi.json`, accept);
        expect([res.status, res.type]).toEqual([200, 'application/json; charset=utf-8']);
        expect(JSON.parse(res.body)).toHaveProperty('openapi');
      }
    });

    // before: 200 and the JSON document whatever the Accept
    it.each([
      ['application/xml', /^application\/problem\+xml/],
      ['text/html', /^application\/problem\+json/],
      ['application/json;q=0, text/plain', /^application\/problem\+json/],
    ])(
      '%s is answered 406 (a problem, in XML when XML was asked for), after the per-IP limit',
      async (accept, type) => {
        for (const version of ['v1', 'v2']) {
          const res = await getDocument(`/${version}/openapi.json`, accept);
          expect(res.status).toBe(406);
          expect(res.type).toMatch(type);
          expect(res.limit).toBe('8');
          expect(res.body).toContain('not-acceptable');
          expect(res.body).not.toContain('securitySchemes');
        }
      },
    );
  });

  it('the documents were generated once, at start, not per request', async () => {
    await Promise.all([anonymous('/v1/openapi.json'), anonymous('/v2/openapi.json')]);
    expect(scans).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['v1', '/v1/products?limit=5', '/v1/products', 'get', '200'],
    ['v1', '/v1/orders?limit=5', '/v1/orders', 'get', '200'],
    ['v1', `/v1/orders/${DEMO_IDS.acmeOrder}`, '/v1/orders/{id}', 'get', '200'],
    ['v1', '/v1/usage', '/v1/usage', 'get', '200'],
    ['v2', '/v2/products?limit=30', '/v2/products', 'get', '200'],
    ['v2', '/v2/orders?limit=5', '/v2/orders', 'get', '200'],
    ['v2', `/v2/orders/${DEMO_IDS.acmeOrder}`, '/v2/orders/{id}', 'get', '200'],
    ['v2', '/v2/usage', '/v2/usage', 'get', '200'],
    ['v1', '/v1/orders', '/v1/orders', 'post', '201'],
    ['v2', '/v2/orders', '/v2/orders', 'post', '201'],
    ['v2', `/v2/orders/${DEMO_IDS.globexOrder}`, '/v2/orders/{id}', 'get', '404'],
    ['v1', '/v1/orders?limit=0', '/v1/orders', 'get', '400'],
  ] as const)('%s: the live answer of %s is exactly what the document says (%s %s → %s)', async (version, url, path, method, status) => {
    const doc = t.app.nest.get(OpenApiDocuments).get(version).document as Json;
    const init =
      method === 'post'
        ? { method: 'POST', body: JSON.stringify({ customerId: 'C0003', items: [{ sku: 'SKU-00004', quantity: 1 }] }), headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() } }
        : {};
    const res = await t.as('acme', url, init);
    expect(String(res.status)).toBe(status);
    const content = doc['paths'][path][method]['responses'][status]['content'];
    const schema = (content['application/json'] ?? content['application/problem+json'])['schema'];
    expect(departures(doc, schema, await res.json())).toEqual([]);
  });

  it('/docs renders the reference of both versions: public, HTML whatever the Accept, with a CSP and no inline script', async () => {
    await nextSecond();
    const res = await anonymous('/docs', { accept: 'application/xml' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('ratelimit-limit')).toBe('8');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self';/);
    const html = await res.text();
    expect(html).not.toMatch(/<script>/);
    const assets = [...html.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(assets).toEqual(['/docs/swagger-ui.css', '/docs/favicon-32x32.png', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui-standalone-preset.js', '/docs/docs.js']);
    const init = await (await anonymous('/docs/docs.js')).text();
    expect(init).toContain("url: '/v1/openapi.json'");
    expect(init).toContain("url: '/v2/openapi.json'");
  });

  it.each([
    ['/docs/swagger-ui-bundle.js', 200, /^text\/javascript/],
    ['/docs/swagger-ui.css', 200, /^text\/css/],
    ['/docs/index.html', 404, /^application\/problem\+json/],
    ['/docs/swagger-initializer.js', 404, /^application\/problem\+json/],
    ['/docs/..%2Fpackage.json', 400, /^application\/problem\+json/],
  ])('%s → %d (only the named assets exist)', async (path, status, type) => {
    const res = await anonymous(path);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(type);
    await res.arrayBuffer();
  });

  it('a flood of anonymous requests to the public documents is limited per client IP (429 + Retry-After)', async () => {
    await nextSecond();
    // 24 at once against 8 per second: some are refused however the machine schedules them
    const answers = await Promise.all(Array.from({ length: 24 }, () => anonymous('/v2/openapi.json')));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
    for (const res of refused) expect([res.headers.get('ratelimit-limit'), Number(res.headers.get('retry-after')) > 0]).toEqual(['8', true]);
    // a partner's own limit is not the anonymous one
    expect((await t.as('acme', '/v2/products?limit=1')).status).toBe(200);
  });
});
