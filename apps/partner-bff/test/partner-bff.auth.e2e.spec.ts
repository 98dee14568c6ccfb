import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { FileApiKeyStore, createKey, revokeKey } from '@frontdoor/auth';
import { loadConfig } from '@frontdoor/config';
import { DEMO_IDS, DEMO_PARTNERS, estateEnv, startDemoEstate, type DemoEstate } from '@frontdoor/demo-estate';
import type { BffApp } from '@frontdoor/platform';
import { captureLogs, type LogCapture } from '@frontdoor/testing';
import { createPartnerBff } from '../src/app/create-partner-bff';
import { partnerSchema } from '../src/app/partner.config';

/** The order number of `O-00042` (42); seeded partner orders are fixed by construction (see DEMO_IDS). */
const numberOf = (id: string) => Number(id.slice(2));

/**
 * Partner identity and tenancy end to end: API keys from the key file (hashed), the demo partners' orders in the
 * real sales service, and an estate that accepts only calls this BFF signed.
 */
describe('partner-bff API keys and tenancy e2e', () => {
  let estate: DemoEstate;
  let app: BffApp;
  let base: string;
  let keysDir: string;
  let store: FileApiKeyStore;
  let logs: LogCapture;
  const keyOf = (partner: 'acme' | 'globex') => DEMO_PARTNERS.find((p) => p.partnerId === partner)?.apiKey as string;
  const as = (partner: 'acme' | 'globex', path: string, headers: Record<string, string> = {}) =>
    fetch(base + path, { headers: { 'x-api-key': keyOf(partner), ...headers } });

  beforeAll(async () => {
    estate = await startDemoEstate();
    keysDir = mkdtempSync(join(tmpdir(), 'frontdoor-partner-auth-'));
    const keysFile = join(keysDir, 'partner-keys.json');
    store = new FileApiKeyStore({ path: keysFile });
    for (const { partnerId, plan, apiKey } of DEMO_PARTNERS) await createKey(store, { partnerId, plan, key: apiKey });
    logs = captureLogs();
    app = await createPartnerBff(loadConfig(partnerSchema, { ...estateEnv(estate), PARTNER_KEYS_FILE: keysFile, LOG_LEVEL: 'info' }), logs.stream);
    await app.nest.listen(0, '127.0.0.1');
    base = await app.nest.getUrl();
    estate.trustGateways([`${base}/.well-known/jwks.json`]);
  });
  afterAll(async () => {
    await app?.nest.close();
    await estate?.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it.each([
    ['acme', (n: number) => n % 4 === 1],
    ['globex', (n: number) => n % 6 === 2],
  ] as const)('GET /v1/orders lists only %s’s own orders, paged, newest first, in the v1 shape', async (partner, owns) => {
    const res = await as(partner, '/v1/orders?limit=50&offset=5');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { id: string }[]; page: { limit: number; offset: number; total: number } };
    const total = Array.from({ length: 300 }, (_, i) => i + 1).filter(owns).length;
    expect(body.page).toEqual({ limit: 50, offset: 5, total });
    expect(body.data.length).toBe(Math.min(50, total - 5));
    expect(body.data.every((o) => owns(numberOf(o.id)))).toBe(true);
    for (const order of body.data) expect(Object.keys(order).sort()).toEqual(['createdAt', 'currency', 'id', 'items', 'status', 'total']);
  });

  it('a forged partner header changes nothing: the partner comes from the key', async () => {
    const body = (await (await as('acme', '/v1/orders?limit=100', { 'x-partner-id': 'globex', 'x-partner': 'globex' })).json()) as { data: { id: string }[] };
    expect(body.data.every((o) => numberOf(o.id) % 4 === 1)).toBe(true);
  });

  it('GET /v1/orders/:id answers the partner its own order', async () => {
    const res = await as('acme', `/v1/orders/${DEMO_IDS.acmeOrder}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: DEMO_IDS.acmeOrder, items: expect.any(Array) });
  });

  it.each([
    ["another partner's order", 'acme', DEMO_IDS.globexOrder],
    ["another partner's order, the other way", 'globex', DEMO_IDS.acmeOrder],
    ['a direct (non-partner) order', 'acme', DEMO_IDS.directOrder],
    ['an unknown order', 'acme', DEMO_IDS.unknownOrder],
  ] as const)('%s is a 404 that never shows the order and looks like any other 404', async (_label, partner, id) => {
    const res = await as(partner, `/v1/orders/${id}`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      type: 'urn:frontdoor:problem:not-found',
      title: 'Not Found',
      status: 404,
      detail: 'There is no order with this id.',
      instance: `/v1/orders/${id}`,
      requestId: res.headers.get('x-request-id'),
    });
  });

  it.each([
    ['no key', {}, '/v1/orders'],
    ['a wrong key', { 'x-api-key': 'fd_live_WRONGwrongWRONGwrongWRONGwrongWRONGwrong12' }, '/v1/orders'],
    ['a user bearer token', { authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig' }, '/v1/products'],
    ['the key in the query string (ignored)', {}, `/v1/products?api_key=${DEMO_PARTNERS[0]?.apiKey}&x-api-key=${DEMO_PARTNERS[0]?.apiKey}`],
  ])('%s is 401 with the ApiKey challenge', async (_label, headers, path) => {
    const res = await fetch(base + path, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('ApiKey header="X-API-Key"');
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('sales gets the gateway token for the partner (aud sales), never the API key or forged headers', async () => {
    estate.clearRecorded();
    const res = await as('globex', '/v1/orders?limit=1', { 'x-request-id': 'partner-identity-1', 'x-user-id': 'root', 'x-roles': 'admin', cookie: 'c=1' });
    expect(res.status).toBe(200);
    const [call] = estate.recorded('sales').filter((r) => r.headers['x-request-id'] === 'partner-identity-1');
    expect(call?.path).toBe('/orders?partnerId=globex&limit=1&offset=0');
    expect(Object.keys(call?.headers ?? {}).filter((h) => /^(x-api-key|x-user|x-roles|x-partner|cookie)/.test(h))).toEqual([]);
    expect(JSON.stringify(call?.headers)).not.toContain(keyOf('globex'));
    const keys = createLocalJWKSet((await (await fetch(`${base}/.well-known/jwks.json`)).json()) as never);
    const { payload } = await jwtVerify(String(call?.headers.authorization).replace(/^Bearer /, ''), keys, { audience: 'sales', issuer: 'frontdoor:partner-bff' });
    expect(payload).toMatchObject({ sub: 'partner:globex', partner: 'globex', roles: ['partner'] });
  });

  it('a key created with the CLI store works within a second, and stops working once revoked (no restart)', async () => {
    const { key, record } = await createKey(store, { partnerId: 'initech', plan: 'free' });
    const poll = async (want: number) => {
      let status = 0;
      for (let i = 0; i < 30 && status !== want; i++) {
        status = (await fetch(`${base}/v1/orders?limit=1`, { headers: { 'x-api-key': key } })).status;
        if (status !== want) await new Promise((r) => setTimeout(r, 100));
      }
      return status;
    };
    expect(await poll(200)).toBe(200);
    const orders = (await (await fetch(`${base}/v1/orders`, { headers: { 'x-api-key': key } })).json()) as { data: unknown[] };
    expect(orders.data).toEqual([]); // initech has no orders, and sees nobody else's
    await revokeKey(store, record.id);
    expect(await poll(401)).toBe(401);
  });

  it('never logs an API key, in a header or in the query string', async () => {
    await as('acme', '/v1/orders?limit=1');
    await fetch(`${base}/v1/orders?api_key=${keyOf('globex')}`);
    expect(logs.lines().some((l) => l['msg'] === 'request' && l['route'] === '/v1/orders')).toBe(true);
    for (const { apiKey } of DEMO_PARTNERS) expect(logs.text()).not.toContain(apiKey);
  });
});
