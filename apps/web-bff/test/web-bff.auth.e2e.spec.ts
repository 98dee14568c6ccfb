import { SignJWT, createLocalJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify } from 'jose';
import { DEMO_IDS } from '@frontdoor/demo-estate';
import { startWebTestApp, type WebTestApp } from './web-test-app';

/**
 * Identity and access of web-bff end to end, against the real demo IdP and an estate whose services accept only
 * calls this BFF signed: who gets in, who sees salaries, and what reaches the upstreams.
 */
describe('web-bff identity and access e2e', () => {
  let t: WebTestApp;
  const token = (roles: string[], sub = `user-${roles.join('-') || 'none'}`) =>
    t.estate.issueToken({ sub, roles });
  const profile = async (roles: string[], headers: Record<string, string> = {}) =>
    fetch(`${t.base}/api/employees/${DEMO_IDS.employee}`, {
      headers: { authorization: `Bearer ${await token(roles)}`, ...headers },
    });

  beforeAll(async () => {
    t = await startWebTestApp({ env: { ROUTE_DEADLINE_MS: '800', JWT_JWKS_COOLDOWN_MS: '200' } });
  });
  afterAll(async () => t?.close());

  it.each([
    [['finance'], true],
    [['admin'], true],
    [['hr', 'finance'], true],
    [['hr'], false],
  ])('roles %j see the salary: %s — and never the bank account', async (roles, seesSalary) => {
    const res = await profile(roles);
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as Record<string, unknown>;
    expect('salary' in body).toBe(seesSalary);
    if (seesSalary)
      expect(body['salary']).toEqual({
        base: expect.any(Number),
        bonus: expect.any(Number),
        currency: 'EUR',
      });
    expect(text).not.toMatch(/bankAccount|iban|\b0\d{9}\b/);
  });

  it.each([
    ['sales', ['sales']],
    ['warehouse', ['warehouse']],
    ['no role', []],
  ])('a valid token with %s may not read profiles: 403', async (_label, roles) => {
    const res = await profile(roles);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('an anonymous request to a protected route is 401 with a bare Bearer challenge (not 403)', async () => {
    const res = await fetch(`${t.base}/api/employees/${DEMO_IDS.employee}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toMatchObject({
      type: 'urn:frontdoor:problem:unauthorized',
      requestId: res.headers.get('x-request-id'),
    });
  });

  it.each(['Bearer', 'Bearer ', 'bearer  '])(
    'Authorization %j (the scheme, no token) is the anonymous 401: a bare challenge, no token called invalid',
    async (authorization) => {
      const res = await fetch(`${t.base}/api/employees/${DEMO_IDS.employee}`, { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toMatchObject({ detail: 'Authentication is required: send a bearer token.' });
    },
  );

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each<[string, () => Promise<string>]>([
    [
      'a tampered payload (roles raised to admin)',
      async () =>
        (await token(['hr'])).replace(
          /\.[^.]+\./,
          (p) =>
            `.${b64({ ...JSON.parse(Buffer.from(p.slice(1, -1), 'base64url').toString()), roles: ['admin'] })}.`,
        ),
    ],
    ['a stripped signature', async () => (await token(['finance'])).replace(/[^.]+$/, '')],
    [
      'alg none with the IdP kid',
      async () => {
        const real = await token(['finance']);
        return `${b64({ alg: 'none', kid: decodeProtectedHeader(real).kid })}.${real.split('.')[1]}.`;
      },
    ],
    [
      'a token signed by a key the IdP does not publish',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        const claims = { iss: t.estate.issuer, aud: t.estate.audience, sub: 'mallory', roles: ['admin'] };
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'ES256', kid: 'mallory-1' })
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(privateKey);
      },
    ],
    ['garbage', async () => 'not-a-jwt'],
  ])('%s is 401 invalid_token', async (_label, forge) => {
    const res = await fetch(`${t.base}/api/employees/${DEMO_IDS.employee}`, {
      headers: { authorization: `Bearer ${await forge()}` },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('follows a key rotation at the IdP without restart', async () => {
    await t.estate.rotateIdentityKeys();
    const fresh = await token(['finance'], 'after-rotation');
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (
        await fetch(`${t.base}/api/employees/${DEMO_IDS.employee}`, {
          headers: { authorization: `Bearer ${fresh}` },
        })
      ).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100)); // one JWKS cooldown (200 ms) at most
    }
    expect(status).toBe(200);
  });

  it('answers 503 (not 401) while the IdP is down and the token key was never seen; recovers by itself', async () => {
    const get = (bearer: string) =>
      fetch(`${t.base}/api/employees/${DEMO_IDS.employee}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
    const known = await token(['finance'], 'before-the-outage'); // signed with a key the gateway has fetched
    expect((await get(known)).status).toBe(200);
    await t.estate.stopService('identity');
    let unseen: string;
    try {
      await t.estate.rotateIdentityKeys();
      unseen = await token(['finance'], 'while-idp-down');
      await new Promise((r) => setTimeout(r, 250)); // past the cooldown, so the gateway does try to fetch
      const res = await get(unseen);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBeTruthy();
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect((await get(known)).status).toBe(200); // cached keys keep working during the outage
    } finally {
      await t.estate.startService('identity');
    }
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await get(unseen)).status;
    }
    expect(status).toBe(200);
  });

  it('sends upstream only its own identity token per service, never client credentials or identity headers', async () => {
    t.estate.clearRecorded();
    const forged = {
      cookie: 'session=client-cookie',
      'x-api-key': 'fd_demo_acme_Q7mV2xK9pL4tRz8NwC3yHb6JdF5sGa1E',
      'x-user-id': 'root',
      'x-user-roles': 'admin',
      'x-roles': 'admin',
      'x-partner-id': 'globex',
      'x-forwarded-user': 'root',
      'x-request-id': 'identity-check-1',
    };
    const clientToken = await token(['finance'], 'fiona');
    const res = await fetch(`${t.base}/api/employees/${DEMO_IDS.employee}`, {
      headers: { authorization: `Bearer ${clientToken}`, ...forged },
    });
    expect(res.status).toBe(200);
    const gatewayKeys = createLocalJWKSet(
      (await (await fetch(`${t.base}/.well-known/jwks.json`)).json()) as never,
    );
    for (const service of ['hr', 'payroll'] as const) {
      const [call] = t.estate
        .recorded(service)
        .filter((r) => r.headers['x-request-id'] === 'identity-check-1');
      expect(call).toBeDefined();
      const headers = call?.headers ?? {};
      expect(
        Object.keys(headers).filter((h) =>
          /^(x-user|x-roles|x-partner|x-forwarded-user|x-api-key|cookie)/.test(h),
        ),
      ).toEqual([]);
      const presented = String(headers.authorization).replace(/^Bearer /, '');
      expect(presented).not.toBe(clientToken);
      const { payload } = await jwtVerify(presented, gatewayKeys, {
        audience: service,
        issuer: 'frontdoor:web-bff',
      });
      expect(payload).toMatchObject({ sub: 'fiona', roles: ['finance'], aud: service });
      expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(60);
    }
  });

  it('an address that sends too many credentials the gateway has not verified before gets a 429 before any check; a remembered token still passes', async () => {
    const limited = await startWebTestApp({
      estate: t.estate,
      env: { ROUTE_DEADLINE_MS: '800', RATE_LIMIT_NEW_CREDENTIAL_RPS: '2' },
    });
    try {
      const limitedBase = limited.base;
      const url = `${limitedBase}/api/employees/${DEMO_IDS.employee}`;
      const get = (bearer: string) => fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
      const valid = await token(['finance'], 'before-the-flood');
      expect((await get(valid)).status).toBe(200); // verified once: remembered from now on
      // forged tokens, each new (a signature check apiece): the burst of 4 is spent (the valid one took 1)…
      const forged = (n: number) =>
        `${valid.slice(0, valid.lastIndexOf('.'))}.${Buffer.from(`forged-${n}`).toString('base64url')}`;
      const statuses: number[] = [];
      for (let n = 0; n < 6; n++) statuses.push((await get(forged(n))).status);
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses.slice(-2)).toEqual([429, 429]);
      const refused = await get(forged(99));
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get('ratelimit-limit')).toBe('2');
      expect(refused.headers.get('www-authenticate')).toBeNull();
      // …while the token it verified before passes without touching the budget
      expect((await get(valid)).status).toBe(200);
      // and a request without credentials is the plain 401 it always was
      expect((await fetch(url)).status).toBe(401);
    } finally {
      await limited.close();
    }
  });

  it('the services refuse a client that calls them directly, with its user token or forged headers', async () => {
    const direct = (headers: Record<string, string>) =>
      fetch(`${t.estate.urls.payroll}/salaries/${DEMO_IDS.employee}`, { headers });
    expect((await direct({ authorization: `Bearer ${await token(['finance'])}` })).status).toBe(401);
    expect((await direct({ 'x-user-id': 'root', 'x-roles': 'admin,finance' })).status).toBe(401);
    expect((await direct({})).status).toBe(401);
  });
});
