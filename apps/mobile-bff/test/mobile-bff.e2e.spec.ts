import { createLocalJWKSet, jwtVerify } from 'jose';
import { startMobileTestApp, type MobileTestApp } from './mobile-test-app';

describe('mobile-bff e2e', () => {
  let t: MobileTestApp;
  let salesToken: string;

  beforeAll(async () => {
    t = await startMobileTestApp();
    salesToken = await t.estate.issueToken({ sub: 'sam', roles: ['sales'] });
  });

  /** As a signed-in employee (any user role may browse the catalogue). */
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(t.base + path, { headers: { authorization: `Bearer ${salesToken}`, ...headers } });

  afterAll(async () => t?.close());

  afterEach(async () => {
    t.estate.setFault('inventory', {});
    await t.estate.startService('inventory');
  });

  it('GET /api/products answers products trimmed to five fields, with a cursor to the next page', async () => {
    const res = await get('/api/products?limit=5');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Record<string, unknown>[]; nextCursor: string };
    expect(body.items).toHaveLength(5);
    for (const item of body.items) {
      expect(Object.keys(item).sort()).toEqual(['currency', 'name', 'price', 'sku', 'thumbnail']);
      expect(item['thumbnail']).toMatch(/^https:\/\//);
    }
    const next = (await (await get(`/api/products?limit=5&cursor=${body.nextCursor}`)).json()) as typeof body;
    expect(next.items[0]?.['sku']).not.toBe(body.items[0]?.['sku']);
    expect(new Set([...body.items, ...next.items].map((i) => i['sku'])).size).toBe(10);
  });

  it.each([
    ['limit=0', 400],
    ['limit=abc', 400],
    ['limit=0x10', 400],
    ['limit=1e1', 400],
    ['limit=%201', 400],
    ['limit=1&limit=2', 400],
    ['limit=51', 400],
    ['cursor=!!', 400],
    ['unknown=1', 400],
  ])('?%s is a %d validation problem', async (query, status) => {
    const res = await get(`/api/products?${query}`);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('an unknown route is a problem+json 404 with the request id', async () => {
    const res = await fetch(`${t.base}/api/nope`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body['requestId']).toBe(res.headers.get('x-request-id'));
  });

  it.each([
    ['stopped', 503, async () => t.estate.stopService('inventory')],
    ['slow', 504, async () => t.estate.setFault('inventory', { latencyMs: 3000 })],
    ['garbage', 502, async () => t.estate.setFault('inventory', { mode: 'garbage' })],
  ])('a %s inventory answers %d without naming a host', async (_label, status, breakIt) => {
    await breakIt();
    const res = await get('/api/products');
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text).toMatch(/"detail":"inventory /);
    expect(text).not.toMatch(/127\.0\.0\.1|localhost|http:/);
  });

  it.each(['admin', 'finance', 'hr', 'sales', 'warehouse'])(
    'any user role may browse the catalogue: %s',
    async (role) => {
      const res = await fetch(`${t.base}/api/products?limit=1`, {
        headers: { authorization: `Bearer ${await t.estate.issueToken({ sub: 'u', roles: [role] })}` },
      });
      expect(res.status).toBe(200);
    },
  );

  it.each([
    ['anonymous', {}, 401, 'Bearer'],
    ['a garbage token', { authorization: 'Bearer nope' }, 401, 'Bearer error="invalid_token"'],
    [
      'a key instead of a token',
      { 'x-api-key': 'fd_demo_acme_Q7mV2xK9pL4tRz8NwC3yHb6JdF5sGa1E' },
      401,
      'Bearer',
    ],
  ])('%s is %d with challenge %s', async (_label, headers, status, challenge) => {
    const res = await fetch(`${t.base}/api/products`, { headers });
    expect(res.status).toBe(status);
    expect(res.headers.get('www-authenticate')).toBe(challenge);
  });

  it('a valid token without any user role is 403', async () => {
    const res = await fetch(`${t.base}/api/products`, {
      headers: { authorization: `Bearer ${await t.estate.issueToken({ sub: 'nobody', roles: [] })}` },
    });
    expect(res.status).toBe(403);
  });

  it('inventory gets the gateway identity token for inventory, never the client token or forged identity headers', async () => {
    t.estate.clearRecorded();
    await get('/api/products?limit=1', {
      'x-request-id': 'mobile-identity-1',
      'x-user-id': 'root',
      'x-roles': 'admin',
      cookie: 'a=b',
    });
    const [call] = t.estate
      .recorded('inventory')
      .filter((r) => r.headers['x-request-id'] === 'mobile-identity-1');
    expect(Object.keys(call?.headers ?? {}).filter((h) => /^(x-user|x-roles|cookie)/.test(h))).toEqual([]);
    const presented = String(call?.headers.authorization).replace(/^Bearer /, '');
    expect(presented).not.toBe(salesToken);
    const keys = createLocalJWKSet((await (await fetch(`${t.base}/.well-known/jwks.json`)).json()) as never);
    const { payload } = await jwtVerify(presented, keys, {
      audience: 'inventory',
      issuer: 'frontdoor:mobile-bff',
    });
    expect(payload).toMatchObject({ sub: 'sam', roles: ['sales'] });
  });
});
