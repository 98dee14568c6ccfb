import { rawRequest, type RawResponse } from '@frontdoor/testing';
import { startWebTestApp, type WebTestApp } from './web-test-app';

const WEB = 'http://localhost:4200';
const OTHER = 'https://dashboard.example.com';

/** CORS exactly for CORS_ORIGINS, on a real socket: answers, preflights, credentials, and what is never sent. */
describe('web-bff CORS', () => {
  let t: WebTestApp;
  let token: string;

  beforeAll(async () => {
    t = await startWebTestApp({ env: { CORS_ORIGINS: `${WEB},${OTHER}` } });
    token = await t.estate.issueToken({ sub: 'cora', roles: ['sales'] });
  });

  afterAll(async () => t?.close());

  const header = (res: RawResponse, name: string): string | undefined => {
    const value = res.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const list = (res: RawResponse, name: string): string[] =>
    (header(res, name) ?? '')
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter(Boolean);
  const get = (
    origin: string | undefined,
    headers: Record<string, string> = { authorization: `Bearer ${token}` },
  ) =>
    rawRequest(t.base, '/api/products?limit=1', {
      headers: origin === undefined ? headers : { ...headers, origin },
    });
  const preflight = (
    origin: string,
    path = '/api/products',
    method = 'GET',
    requestHeaders = 'authorization',
  ) =>
    rawRequest(t.base, path, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': requestHeaders,
      },
    });

  it.each([
    ['the demo web origin', WEB, true],
    ['another listed origin', OTHER, true],
    ['an unknown origin', 'https://evil.example', false],
    ['the opaque origin null', 'null', false],
    ['a lookalike with the listed origin as prefix', 'http://localhost:4200.evil.com', false],
    ['a lookalike subdomain', 'https://evil.dashboard.example.com', false],
    ['another scheme', 'https://localhost:4200', false],
    ['another port', 'http://localhost:4201', false],
    ['other letter case', 'HTTP://LOCALHOST:4200', false],
    ['no Origin at all (not a CORS request)', undefined, false],
  ])('a GET from %s (%s): allowed %s', async (_label, origin, allowed) => {
    const res = await get(origin);
    expect(res.status).toBe(200);
    expect(list(res, 'vary').sort()).toEqual(['accept', 'origin']); // CORS appends to the door's Vary: Accept
    if (allowed) {
      expect(header(res, 'access-control-allow-origin')).toBe(origin);
      expect(header(res, 'access-control-allow-credentials')).toBe('true');
      expect(list(res, 'access-control-expose-headers')).toEqual(
        expect.arrayContaining([
          'x-request-id',
          'ratelimit-limit',
          'ratelimit-remaining',
          'ratelimit-reset',
          'retry-after',
          'x-degraded',
          'idempotent-replayed',
        ]),
      );
    } else {
      for (const name of [
        'access-control-allow-origin',
        'access-control-allow-credentials',
        'access-control-expose-headers',
      ]) {
        expect([name, header(res, name)]).toEqual([name, undefined]);
      }
    }
  });

  it.each([
    ['GET', '/api/products', 'authorization'],
    ['GET', '/api/products/SKU-00001', 'authorization, x-request-id'],
    ['POST', '/api/sales/orders', 'authorization, content-type, idempotency-key'],
  ])(
    'a preflight for %s %s from a listed origin is answered 204 before any guard (it has no token)',
    async (method, path, requested) => {
      const res = await preflight(WEB, path, method, requested);
      expect(res.status).toBe(204);
      expect(header(res, 'access-control-allow-origin')).toBe(WEB);
      expect(header(res, 'access-control-allow-credentials')).toBe('true');
      expect(list(res, 'access-control-allow-methods')).toEqual(['get', 'head', 'post']);
      expect(list(res, 'access-control-allow-headers')).toEqual([
        'authorization',
        'content-type',
        'x-request-id',
        'idempotency-key',
      ]);
      expect(header(res, 'access-control-max-age')).toBe('600');
      expect(list(res, 'vary')).toContain('origin');
      expect(header(res, 'x-request-id')).toMatch(/^[A-Za-z0-9._-]+$/);
      expect(header(res, 'ratelimit-limit')).toBeUndefined();
      expect(header(res, 'www-authenticate')).toBeUndefined();
    },
  );

  it.each([
    ['an unknown origin', 'https://evil.example'],
    ['null', 'null'],
    ['a lookalike', 'http://localhost:4200.evil.com'],
    ['another port', 'http://localhost:4201'],
  ])('a preflight from %s gets no CORS header at all (and no 2xx)', async (_label, origin) => {
    const res = await preflight(origin);
    expect(res.status).toBeGreaterThanOrEqual(400);
    for (const name of [
      'access-control-allow-origin',
      'access-control-allow-credentials',
      'access-control-allow-methods',
      'access-control-allow-headers',
    ]) {
      expect([name, header(res, name)]).toEqual([name, undefined]);
    }
    expect(list(res, 'vary')).toContain('origin');
  });

  it.each([
    ['a listed origin', WEB, WEB, 'true'],
    ['an unknown origin', 'https://evil.example', undefined, undefined],
  ])(
    'a 401 to %s carries CORS headers only for a listed origin (so the app can read it and sign in again)',
    async (_label, origin, allowOrigin, credentials) => {
      const res = await get(origin, {});
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(header(res, 'access-control-allow-origin')).toBe(allowOrigin);
      expect(header(res, 'access-control-allow-credentials')).toBe(credentials);
      expect(list(res, 'vary')).toContain('origin');
    },
  );

  it.each([
    ['a path the door refuses (an encoded slash)', '/api/hr/employees/a%2Fb'],
    ['a path Fastify cannot decode', '/api/hr/employees/%E0%A4%A'],
  ])('a 400 for %s carries the CORS headers too, for a listed origin only', async (_label, path) => {
    const listed = await rawRequest(t.base, path, { headers: { origin: WEB } });
    expect(listed.status).toBe(400);
    expect(listed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(header(listed, 'access-control-allow-origin')).toBe(WEB);
    expect(header(listed, 'access-control-allow-credentials')).toBe('true');
    expect(list(listed, 'vary')).toContain('origin');
    const unknown = await rawRequest(t.base, path, { headers: { origin: 'https://evil.example' } });
    expect(unknown.status).toBe(400);
    expect(header(unknown, 'access-control-allow-origin')).toBeUndefined();
    expect(list(unknown, 'vary')).toContain('origin');
  });

  it.each([
    ['a listed origin', WEB, WEB],
    ['an unknown origin', 'https://evil.example', undefined],
    ['no Origin at all', undefined, undefined],
  ])(
    'an OPTIONS without Access-Control-Request-Method from %s is no preflight: the app answers it (Allow), CORS headers as on any answer',
    async (_label, origin, allowOrigin) => {
      const options = (path: string) =>
        rawRequest(t.base, path, { method: 'OPTIONS', headers: origin === undefined ? {} : { origin } });
      const served = await options('/api/products');
      expect(served.status).toBe(204);
      expect(list(served, 'allow')).toEqual(expect.arrayContaining(['get', 'head', 'options']));
      expect(header(served, 'access-control-allow-methods')).toBeUndefined();
      expect(header(served, 'access-control-max-age')).toBeUndefined();
      expect(header(served, 'access-control-allow-origin')).toBe(allowOrigin);
      expect(list(served, 'vary')).toContain('origin');
      // a path nothing serves is a 404, not a 204 "preflight" for any path
      const nowhere = await options('/api/nowhere');
      expect(nowhere.status).toBe(404);
      expect(nowhere.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(header(nowhere, 'access-control-allow-origin')).toBe(allowOrigin);
    },
  );

  it('never answers with a wildcard origin', async () => {
    for (const origin of [WEB, 'https://evil.example', 'null']) {
      expect(
        [await get(origin), await preflight(origin)].map((r) => header(r, 'access-control-allow-origin')),
      ).not.toContain('*');
    }
  });
});
