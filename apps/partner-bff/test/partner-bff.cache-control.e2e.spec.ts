import { DEMO_IDS } from '@frontdoor/demo-estate';
import { API_VERSIONS } from '../src/openapi/openapi.documents';
import { startPartnerTestApp, type PartnerTestApp } from './partner-test-app';

type Operation = { responses: Record<string, { headers?: Record<string, unknown> }> };
type Doc = { paths: Record<string, Record<string, Operation>> };

/**
 * L5: partner answers are answered to an `X-API-Key`, which — not being `Authorization` — does not keep a
 * shared cache from storing them (RFC 9111 §3.5). Each says what a cache may do: the partner's own data
 * (orders, usage) no-store, the catalogue (the same for every partner, but only for partners) private and
 * revalidated.
 */
describe('partner-bff Cache-Control e2e (L5)', () => {
  let t: PartnerTestApp;

  beforeAll(async () => {
    t = await startPartnerTestApp({ PARTNER_PLANS: 'free:200:100000,gold:500:1000000' });
  });
  afterAll(async () => t?.close());

  const cacheControlOf = async (path: string, accept = 'application/json') => {
    const res = await t.as('acme', path, { headers: { accept } });
    await res.arrayBuffer();
    return [res.status, res.headers.get('cache-control')];
  };

  it.each(API_VERSIONS)('%s: GET /usage, JSON or XML, is Cache-Control: no-store', async (version) => {
    expect(await cacheControlOf(`/${version}/usage`)).toEqual([200, 'no-store']);
    expect(await cacheControlOf(`/${version}/usage`, 'application/xml')).toEqual([200, 'no-store']);
  });

  it.each(API_VERSIONS)(
    '%s: GET /products, JSON or XML, is Cache-Control: private, no-cache',
    async (version) => {
      expect(await cacheControlOf(`/${version}/products?limit=2`)).toEqual([200, 'private, no-cache']);
      expect(await cacheControlOf(`/${version}/products?limit=2`, 'application/xml')).toEqual([
        200,
        'private, no-cache',
      ]);
    },
  );

  it.each(API_VERSIONS)(
    '%s: every GET operation of the document answers a partner with a Cache-Control no shared cache may keep',
    async (version) => {
      const doc = (await (await fetch(`${t.base}/${version}/openapi.json`)).json()) as Doc;
      const gets = Object.entries(doc.paths)
        .filter(([, item]) => item['get'] !== undefined)
        .map(([path]) => path);
      expect(gets.length).toBeGreaterThanOrEqual(4);
      const seen = await Promise.all(
        gets.map(async (path) => [path, ...(await cacheControlOf(path.replace('{id}', DEMO_IDS.acmeOrder)))]),
      );
      expect(seen).toEqual(
        gets.map((path) => [path, 200, expect.stringMatching(/^(?:no-store|private, no-cache)$/)]),
      );
    },
  );

  it.each(API_VERSIONS)(
    '%s: the document declares that Cache-Control on the usage and catalogue answers',
    async (version) => {
      const doc = (await (await fetch(`${t.base}/${version}/openapi.json`)).json()) as Doc;
      const declared = (path: string) =>
        Object.keys(doc.paths[path]?.['get']?.responses['200']?.headers ?? {});
      expect(declared(`/${version}/usage`)).toContain('Cache-Control');
      expect(declared(`/${version}/products`)).toContain('Cache-Control');
    },
  );
});
