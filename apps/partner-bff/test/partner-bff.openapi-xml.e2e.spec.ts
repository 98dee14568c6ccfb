import { randomUUID } from 'node:crypto';
import { DEMO_IDS } from '@frontdoor/demo-estate';
import { XMLParser } from 'fast-xml-parser';
import { API_VERSIONS, OpenApiDocuments, type ApiVersion } from '../src/openapi/openapi.documents';
import { xmlFromDocument } from './openapi-xml';
import { startPartnerTestApp, type PartnerTestApp } from './partner-test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking OpenAPI JSON

/** Every element a list (so one entry and many read alike), text kept as text, the namespace kept as an attribute. */
const parser = new XMLParser({
  parseTagValue: false,
  ignoreDeclaration: true,
  ignoreAttributes: false,
  isArray: () => true,
});
const tree = (xml: string) => parser.parse(xml) as unknown;

/** Element names and nesting only: the usage counters move with every request. */
function namesOnly(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(namesOnly);
  if (node !== null && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, namesOnly(v)]));
  return '';
}

const ORDER = {
  customerId: 'C0003',
  items: [
    { sku: 'SKU-00004', quantity: 1 },
    { sku: 'SKU-00005', quantity: 3 },
  ],
};
const LIFECYCLE = ['Deprecation', 'Sunset', 'Link'];
const LIMITS = [
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Quota-Limit',
  'Quota-Remaining',
];

/**
 * The published documents describe the XML the API really speaks and the headers it really sends: XML written from the
 * document alone (as a generated client would) is compared with the live XML answer, sent as a request body, and the
 * response headers each document declares are compared with a live answer's.
 */
describe('partner-bff OpenAPI documents: XML and response headers as the API really sends them', () => {
  let t: PartnerTestApp;
  const doc = (version: ApiVersion) => t.app.nest.get(OpenApiDocuments).get(version).document as Json;
  const accept = (type: string) => ({ headers: { accept: type } });

  beforeAll(async () => {
    t = await startPartnerTestApp({ PARTNER_PLANS: 'free:200:100000,gold:500:1000000' });
  });
  afterAll(async () => t?.close());

  const GETS = API_VERSIONS.flatMap((v) => [
    [v, `/${v}/products?limit=3`, `/${v}/products`],
    [v, `/${v}/orders?limit=3`, `/${v}/orders`],
    [v, `/${v}/orders/${DEMO_IDS.acmeOrder}`, `/${v}/orders/{id}`],
  ]) as [ApiVersion, string, string][];

  it.each(GETS)(
    '%s: GET %s in XML is the JSON answer written as the document says (%s → 200 application/xml)',
    async (version, url, path) => {
      const json = (await (await t.as('acme', url)).json()) as unknown;
      const res = await t.as('acme', url, accept('application/xml'));
      expect(res.status).toBe(200);
      const schema =
        doc(version)['paths'][path]['get']['responses']['200']['content']['application/xml']['schema'];
      expect(tree(await res.text())).toEqual(tree(xmlFromDocument(doc(version), schema, json)));
    },
  );

  it.each(API_VERSIONS)('%s: GET usage in XML has the elements the document names', async (version) => {
    const json = (await (await t.as('acme', `/${version}/usage`)).json()) as unknown;
    const res = await t.as('acme', `/${version}/usage`, accept('application/xml'));
    const schema =
      doc(version)['paths'][`/${version}/usage`]['get']['responses']['200']['content']['application/xml'][
        'schema'
      ];
    expect(namesOnly(tree(await res.text()))).toEqual(
      namesOnly(tree(xmlFromDocument(doc(version), schema, json))),
    );
  });

  it.each(API_VERSIONS)(
    '%s: an order body written as the document says is accepted (201), and answered as it says',
    async (version) => {
      const op = doc(version)['paths'][`/${version}/orders`]['post'];
      const body = xmlFromDocument(
        doc(version),
        op['requestBody']['content']['application/xml']['schema'],
        ORDER,
      );
      const key = randomUUID();
      const post = (type: string, payload: string) =>
        t.as('acme', `/${version}/orders`, {
          method: 'POST',
          body: payload,
          headers: { 'content-type': type, accept: type, 'idempotency-key': key },
        });
      const res = await post('application/xml', body);
      const xml = await res.text();
      expect([res.status, xml]).toEqual([201, expect.any(String)]);
      // the same order in JSON is a replay of it: the JSON answer the XML one must say
      const replay = await post('application/json', JSON.stringify(ORDER));
      expect([replay.status, replay.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
      const schema = op['responses']['201']['content']['application/xml']['schema'];
      expect(tree(xml)).toEqual(tree(xmlFromDocument(doc(version), schema, await replay.json())));
    },
  );

  it.each(API_VERSIONS)(
    '%s: a problem (400 with errors) in XML is the problem+json written as the document says',
    async (version) => {
      const url = `/${version}/products?limit=0&offset=-1`;
      const res = await t.as('acme', url, accept('application/xml'));
      const json = (await (await t.as('acme', url)).json()) as Json;
      expect([res.status, json['status'], json['errors']]).toEqual([
        400,
        400,
        expect.arrayContaining([expect.any(String), expect.any(String)]),
      ]);
      const schema =
        doc(version)['paths'][`/${version}/products`]['get']['responses']['400']['content'][
          'application/problem+xml'
        ]['schema'];
      const expected = xmlFromDocument(doc(version), schema, {
        ...json,
        requestId: res.headers.get('x-request-id'),
      });
      expect(tree(await res.text())).toEqual(tree(expected));
    },
  );

  const declared = (version: ApiVersion, path: string, method: string, status: string) =>
    Object.keys(doc(version)['paths'][path][method]['responses'][status]['headers'] ?? {});

  it.each([
    ...GETS.map(([v, url, path]) => [v, url, path, 'get', '200'] as const),
    ...API_VERSIONS.map((v) => [v, `/${v}/usage`, `/${v}/usage`, 'get', '200'] as const),
    ...API_VERSIONS.map((v) => [v, `/${v}/orders`, `/${v}/orders`, 'post', '201'] as const),
    ...API_VERSIONS.map((v) => [v, `/${v}/orders/O-99999`, `/${v}/orders/{id}`, 'get', '404'] as const),
    ...API_VERSIONS.map((v) => [v, `/${v}/products?limit=0`, `/${v}/products`, 'get', '400'] as const),
  ])(
    '%s: %s declares the headers the answer carries, and carries every header it declares (%s %s → %s)',
    async (version, url, path, method, status) => {
      const init =
        method === 'post'
          ? {
              method: 'POST',
              body: JSON.stringify(ORDER),
              headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
            }
          : {};
      const res = await t.as('acme', url, init);
      await res.arrayBuffer();
      expect(String(res.status)).toBe(status);
      const names = declared(version, path, method, status);
      const expected = [
        'X-Request-Id',
        ...(status.startsWith('2') ? LIMITS : []),
        ...(version === 'v1' ? LIFECYCLE : []),
      ];
      expect(names).toEqual(expect.arrayContaining(expected));
      // the replay marker is only on a replay (checked above); everything else declared is on this answer
      const missing = names.filter((name) => name !== 'Idempotent-Replayed' && !res.headers.has(name));
      expect(missing).toEqual([]);
    },
  );

  it('a 401 (refused before the rate limit) declares and carries X-Request-Id, and on v1 its lifecycle headers', async () => {
    for (const version of API_VERSIONS) {
      const res = await fetch(`${t.base}/${version}/products`);
      await res.arrayBuffer();
      expect(res.status).toBe(401);
      const names = declared(version, `/${version}/products`, 'get', '401');
      expect(names).toEqual(expect.arrayContaining(['X-Request-Id', ...(version === 'v1' ? LIFECYCLE : [])]));
      expect(names.filter((name) => !res.headers.has(name))).toEqual([]);
    }
  });

  it.each(API_VERSIONS)(
    '%s: POST orders documents its 422 (unknown customer or sku) and 400 (quantity out of range) as they are',
    async (version) => {
      const responses = doc(version)['paths'][`/${version}/orders`]['post']['responses'];
      expect(responses['422']['description']).toMatch(/unknown customer or sku/);
      expect(responses['422']['description']).not.toMatch(/quantity/);
      const post = (order: unknown) =>
        t.as('acme', `/${version}/orders`, {
          method: 'POST',
          body: JSON.stringify(order),
          headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        });
      const tooMany = await post({ customerId: 'C0001', items: [{ sku: 'SKU-00001', quantity: 10_001 }] });
      expect([tooMany.status, ((await tooMany.json()) as Json)['type']]).toEqual([
        400,
        'urn:frontdoor:problem:validation-failed',
      ]);
      const unknownCustomer = await post({ customerId: 'C9999', items: [{ sku: 'SKU-00001', quantity: 1 }] });
      expect([unknownCustomer.status, ((await unknownCustomer.json()) as Json)['type']]).toEqual([
        422,
        'urn:frontdoor:problem:unprocessable-content',
      ]);
    },
  );
});
