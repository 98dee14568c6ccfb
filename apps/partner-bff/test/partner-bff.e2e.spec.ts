import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileApiKeyStore, createKey } from '@frontdoor/auth';
import { loadConfig } from '@frontdoor/config';
import { DEMO_PARTNERS, estateEnv, startDemoEstate, type DemoEstate } from '@frontdoor/demo-estate';
import type { BffApp } from '@frontdoor/platform';
import { XMLParser } from 'fast-xml-parser';
import { createPartnerBff } from '../src/app/create-partner-bff';
import { partnerSchema } from '../src/app/partner.config';

describe('partner-bff e2e', () => {
  let estate: DemoEstate;
  let app: BffApp;
  let base: string;
  let keysDir: string;
  const acmeKey = DEMO_PARTNERS.find((p) => p.partnerId === 'acme')?.apiKey as string;

  beforeAll(async () => {
    estate = await startDemoEstate();
    // the demo partners' known keys, stored hashed in a key file of this test's own
    keysDir = mkdtempSync(join(tmpdir(), 'frontdoor-partner-e2e-'));
    const keysFile = join(keysDir, 'partner-keys.json');
    const store = new FileApiKeyStore({ path: keysFile });
    for (const { partnerId, plan, apiKey } of DEMO_PARTNERS) await createKey(store, { partnerId, plan, key: apiKey });
    app = await createPartnerBff(loadConfig(partnerSchema, { ...estateEnv(estate), ROUTE_DEADLINE_MS: '800', PARTNER_KEYS_FILE: keysFile }));
    await app.nest.listen(0, '127.0.0.1');
    base = await app.nest.getUrl();
    // the estate's services now answer only calls this BFF signed
    estate.trustGateways([`${base}/.well-known/jwks.json`]);
  });

  /** As acme (plan gold). */
  const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers: { 'x-api-key': acmeKey, ...headers } });

  afterAll(async () => {
    await app?.nest.close();
    await estate?.stop();
    if (keysDir) rmSync(keysDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    estate.setFault('inventory', {});
    await estate.startService('inventory');
  });

  it('GET /v1/products answers the slim partner shape with paging', async () => {
    const res = await get('/v1/products?limit=3&offset=10');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Record<string, unknown>[]; page: Record<string, number> };
    expect(body.page).toEqual({ limit: 3, offset: 10, total: 500 });
    expect(body.data.map((p) => p['sku'])).toEqual(['SKU-00011', 'SKU-00012', 'SKU-00013']);
    for (const product of body.data) expect(Object.keys(product).sort()).toEqual(['currency', 'name', 'price', 'sku', 'stock']);
    expect(JSON.stringify(body)).not.toMatch(/costPrice|internalNotes|supplier|warehouse/);
  });

  it.each([
    ['/v1/products?offset=1000001', /offset must not be greater than 1000000/],
    ['/v1/products?offset=99999999999', /offset must not be greater than 1000000/],
  ])('GET %s is the gateway’s own validation-failed 400, and inventory is not asked', async (path, error) => {
    estate.clearRecorded();
    const res = await get(path);
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { type: string; errors?: string[] };
    expect(problem.type).toBe('urn:frontdoor:problem:validation-failed');
    expect((problem.errors ?? []).join('\n')).toMatch(error);
    expect(estate.recorded('inventory')).toEqual([]);
  });

  it('GET /v1/products?offset=1000000, the largest offset, still reaches inventory (an empty page)', async () => {
    const res = await get('/v1/products?limit=1&offset=1000000');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown[]; page: object }).page).toEqual({ limit: 1, offset: 1000000, total: 500 });
  });

  it('an unknown route is a problem 404, in XML for a client that asks for XML', async () => {
    const res = await fetch(`${base}/v1/nothing`, { headers: { accept: 'application/xml' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+xml/);
    const parsed = new XMLParser({ parseTagValue: false }).parse(await res.text()) as { problem: Record<string, string> };
    expect(parsed.problem).toMatchObject({ status: '404', title: 'Not Found', requestId: res.headers.get('x-request-id') });
  });

  it.each([
    ['DELETE', '/v1/products', 'GET, HEAD, OPTIONS'],
    ['PUT', '/v1/orders', 'GET, HEAD, POST, OPTIONS'],
  ])('%s %s, a method the route does not serve, is a problem 405 naming the methods in Allow', async (method, path, allow) => {
    const res = await fetch(base + path, { method, headers: { 'x-api-key': acmeKey } });
    expect([res.status, res.headers.get('allow')]).toEqual([405, allow]);
    expect(await res.json()).toMatchObject({ type: 'urn:frontdoor:problem:method-not-allowed', status: 405, requestId: res.headers.get('x-request-id') });
  });

  it.each([
    ['stopped', 503, async () => estate.stopService('inventory')],
    ['slow', 504, async () => estate.setFault('inventory', { latencyMs: 3000 })],
    ['garbage', 502, async () => estate.setFault('inventory', { mode: 'garbage' })],
  ])('a %s inventory answers %d without naming a host', async (_label, status, breakIt) => {
    await breakIt();
    const res = await get('/v1/products');
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text).not.toMatch(/127\.0\.0\.1|localhost|http:/);
  });
});
