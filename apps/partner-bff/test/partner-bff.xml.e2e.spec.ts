import { randomUUID } from 'node:crypto';
import { DEMO_IDS } from '@frontdoor/demo-estate';
import { XMLParser } from 'fast-xml-parser';
import { startPartnerTestApp, type PartnerTestApp } from './partner-test-app';

/** A real XML parser, values kept as text; every `<item>` (list entry) a list even when alone. */
const parser = new XMLParser({ parseTagValue: false, ignoreDeclaration: true, ignoreAttributes: false, isArray: (name) => name === 'item' || name === 'i' });

/**
 * What the JSON answer reads as once written as XML by the gateway and parsed back: scalars as text, a list as its
 * `<item>` (problem lists: `<i>`) elements, null left out, an empty list as an empty element.
 */
function asXml(value: unknown, itemName = 'item'): unknown {
  if (Array.isArray(value)) return value.length === 0 ? '' : { [itemName]: value.map((v) => asXml(v, itemName)) };
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, asXml(v, itemName)]));
  }
  return String(value);
}

/** JSON or XML per Accept on every partner route, errors included, checked by parsing the XML back. */
describe('partner-bff JSON or XML e2e', () => {
  let t: PartnerTestApp;

  beforeAll(async () => {
    t = await startPartnerTestApp({ PARTNER_PLANS: 'free:200:100000,gold:500:1000000' });
  });
  afterAll(async () => t?.close());

  const pair = async (path: string) => {
    const json = await t.as('acme', path);
    const xml = await t.as('acme', path, { headers: { accept: 'application/xml' } });
    return { json, xml, jsonBody: (await json.json()) as Record<string, unknown>, xmlText: await xml.text() };
  };

  it.each([
    ['/v1/products?limit=3', 'products'],
    ['/v1/orders?limit=3', 'orders'],
    [`/v1/orders/${DEMO_IDS.acmeOrder}`, 'order'],
    ['/v2/products?limit=3&offset=10', 'products'],
    ['/v2/orders?limit=3', 'orders'],
    [`/v2/orders/${DEMO_IDS.acmeOrder}`, 'order'],
  ])('GET %s in XML (<%s>) says exactly what the JSON answer says', async (path, root) => {
    const { json, xml, jsonBody, xmlText } = await pair(path);
    expect([json.status, xml.status]).toEqual([200, 200]);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(xml.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(xmlText.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(parser.parse(xmlText)).toEqual({ [root]: asXml(jsonBody) });
  });

  it.each(['/v1/usage', '/v2/usage'])('GET %s in XML (<usage>) matches JSON (but the counters, which this very request moves)', async (path) => {
    const { jsonBody, xmlText } = await pair(path);
    const parsed = parser.parse(xmlText) as { usage: Record<string, string> };
    const { used, remaining, resetsInS, ...stable } = jsonBody;
    expect(parsed.usage).toMatchObject(asXml(stable) as object);
    expect(Number(parsed.usage['used'])).toBe((used as number) + 1);
    expect(Number(parsed.usage['remaining'])).toBe((remaining as number) - 1);
    expect(Math.abs(Number(parsed.usage['resetsInS']) - (resetsInS as number))).toBeLessThanOrEqual(2);
  });

  it.each(['/v1/orders', '/v2/orders'])('POST %s with Accept XML: the order in XML, and its replay in JSON is the same order', async (path) => {
    const key = randomUUID();
    const order = JSON.stringify({ customerId: 'C0002', items: [{ sku: 'SKU-00002', quantity: 1 }, { sku: 'SKU-00003', quantity: 4 }] });
    const post = (accept: string) => t.as('acme', path, { method: 'POST', body: order, headers: { 'content-type': 'application/json', 'idempotency-key': key, accept } });
    const xml = await post('application/xml');
    expect(xml.status).toBe(201);
    expect(xml.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const json = await post('application/json');
    expect([json.status, json.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect(parser.parse(await xml.text())).toEqual({ order: asXml(await json.json()) });
  });

  const problemOf = async (res: Response) => {
    expect(res.headers.get('content-type')).toBe('application/problem+xml; charset=utf-8');
    const parsed = parser.parse(await res.text()) as { problem: Record<string, unknown> };
    expect(parsed.problem['@_xmlns']).toBe('urn:ietf:rfc:7807');
    const { '@_xmlns': _ns, ...problem } = parsed.problem;
    return problem;
  };

  it.each([
    ['a missing key (401, from the guard)', '/v2/orders', { 'x-api-key': '' }, undefined, 401],
    ['another tenant’s order (404)', `/v2/orders/${DEMO_IDS.globexOrder}`, {}, undefined, 404],
    ['an unknown route (404, from the router)', '/v2/nothing', {}, undefined, 404],
    ['invalid paging (400 with errors)', '/v1/products?limit=0&offset=-1', {}, undefined, 400],
    ['an order without Idempotency-Key (400)', '/v1/orders', { 'content-type': 'application/json' }, '{}', 400],
    ['an invalid XML order (400 with errors)', '/v2/orders', { 'content-type': 'application/xml', 'idempotency-key': 'k-xml-errors-1' }, '<order><customerId/></order>', 400],
    ['an order sent as a form (415)', '/v2/orders', { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'k-xml-form-1' }, 'a=1', 415],
  ])('%s is problem+xml carrying what the problem+json says', async (_label, path, headers, body, status) => {
    const send = (accept: string) => t.as('acme', path, { method: body === undefined ? 'GET' : 'POST', body, headers: { ...headers, accept } });
    const [xml, json] = [await send('application/xml'), await send('application/json')];
    expect([xml.status, json.status]).toEqual([status, status]);
    const jsonProblem = (await json.json()) as Record<string, unknown>;
    const xmlProblem = await problemOf(xml);
    expect(xmlProblem['requestId']).toBe(xml.headers.get('x-request-id'));
    expect({ ...xmlProblem, requestId: 'r' }).toEqual(asXml({ ...jsonProblem, requestId: 'r' }, 'i'));
  });

  it('the same key with another body (422) is problem+xml too', async () => {
    const key = randomUUID();
    const post = (quantity: number) =>
      t.as('acme', '/v2/orders', {
        method: 'POST',
        body: JSON.stringify({ customerId: 'C0001', items: [{ sku: 'SKU-00001', quantity }] }),
        headers: { 'content-type': 'application/json', 'idempotency-key': key, accept: 'application/xml' },
      });
    expect((await post(1)).status).toBe(201);
    const res = await post(2);
    expect(res.status).toBe(422);
    expect(await problemOf(res)).toMatchObject({ status: '422', type: 'urn:frontdoor:problem:unprocessable-content' });
  });

  it('a request refused 406 consumes no daily quota (as one refused 429 does not)', async () => {
    const used = async () => ((await (await t.as('acme', '/v1/usage')).json()) as { used: number }).used;
    const before = await used();
    const refused = await t.as('acme', '/v1/products?limit=1', { headers: { accept: 'text/csv' } });
    expect(refused.status).toBe(406);
    // the second usage query counts itself, the 406 does not
    expect(await used()).toBe(before + 1);
  });

  it.each([
    ['text/csv', 406],
    ['text/html', 406],
    ['application/xml;q=0, application/json;q=0', 406],
    ['application/xml;q=0.9, application/json', 200],
    ['application/json;q=0.5, application/xml', 200],
    ['*/*', 200],
  ])('Accept: %s → %d', async (accept, status) => {
    const res = await t.as('acme', '/v2/products?limit=1', { headers: { accept } });
    expect(res.status).toBe(status);
    if (status === 406) expect(((await res.json()) as { type: string }).type).toBe('urn:frontdoor:problem:not-acceptable');
    else expect(res.headers.get('content-type')).toMatch(accept.startsWith('application/json;') ? /^application\/xml/ : /^application\/json/);
  });
});
