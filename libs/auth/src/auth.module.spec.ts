import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Module, Req, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ObservabilityModule } from '@frontdoor/observability';
import { createBffApp, type BffApp } from '@frontdoor/platform';
import { Public, Roles, RolesGuard, principalOf, type Principal } from '@frontdoor/rbac';
import { captureLogs, closedPort, startRedis, startTestIdp, type RedisServer, type TestIdp } from '@frontdoor/testing';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FileApiKeyStore } from './api-keys/file-key.store';
import { createKey, openKeyStore, revokeKey } from './api-keys/key-admin';
import { AuthModule } from './auth.module';
import { AuthenticationGuard } from './authentication.guard';

@Controller()
class ProbeController {
  @Get('open')
  @Public()
  open(@Req() request: FastifyRequest): Principal {
    return principalOf(request);
  }

  @Get('finance')
  @Roles('finance', 'admin')
  finance(@Req() request: FastifyRequest): Principal {
    return principalOf(request);
  }

  @Get('partners')
  @Roles('partner')
  partners(@Req() request: FastifyRequest): Principal {
    return principalOf(request);
  }

  /** Declares nothing: closed to everybody (deny by default). */
  @Get('undeclared')
  undeclared(): string {
    return 'never';
  }
}

/** The apps' pipeline in miniature: authentication, then roles. */
function appModule(auth: DynamicModule): DynamicModule {
  @Module({})
  class ProbeModule {}
  return {
    module: ProbeModule,
    imports: [auth, ObservabilityModule.forRoot({ app: 'probe', readiness: { useFactory: () => [] } })],
    controllers: [ProbeController],
    providers: [
      { provide: APP_GUARD, useExisting: AuthenticationGuard },
      { provide: APP_GUARD, useClass: RolesGuard },
    ],
  };
}

const server = { logLevel: 'silent', trustProxy: [], ipAllow: [], ipDeny: [], bodyLimitBytes: 1024 };

async function listen(module: DynamicModule): Promise<[BffApp, string]> {
  const app = await createBffApp(module, { app: 'probe', server });
  await app.nest.listen(0, '127.0.0.1');
  return [app, await app.nest.getUrl()];
}

describe('AuthModule.forUsers on a real socket, against a test IdP', () => {
  let idp: TestIdp;
  let app: BffApp;
  let base: string;
  const now = () => Math.floor(Date.now() / 1000);
  const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    idp = await startTestIdp();
    [app, base] = await listen(
      appModule(
        AuthModule.forUsers('web-bff', {
          jwksUrl: new URL(idp.jwksUrl),
          issuer: idp.issuer,
          audience: idp.audience,
          clockSkewS: 30,
          maxLifetimeS: 86_400,
          jwksCooldownMs: 60_000,
        }),
      ),
    );
  });
  afterAll(async () => {
    await app?.nest.close();
    await idp?.close();
  });

  it('lets a valid token through with its principal', async () => {
    const res = await get('/finance', bearer(await idp.sign(idp.claims())));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ kind: 'user', id: 'alice', roles: ['finance'] });
  });

  it('answers an anonymous request to a protected route 401 (not 403) with a bare Bearer challenge', async () => {
    for (const path of ['/finance', '/undeclared']) {
      const res = await get(path);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('answers credentials of another scheme (Basic) like none: 401 with the bare Bearer challenge (RFC 6750 §3.1)', async () => {
    const res = await get('/finance', { authorization: 'Basic YWxpY2U6c2VjcmV0' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it.each([
    ['a route that declares no roles (deny by default)', '/undeclared', ['admin', 'finance', 'hr', 'sales', 'warehouse']],
    ['a role the route does not allow', '/finance', ['hr']],
    ['no roles at all', '/finance', []],
  ])('answers 403 to a valid token on %s', async (_label, path, roles) => {
    const res = await get(path, bearer(await idp.sign(idp.claims({ roles }))));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ type: 'urn:frontdoor:problem:forbidden', detail: 'Access to this resource is not allowed.' });
  });

  const uniform = { type: 'urn:frontdoor:problem:unauthorized', title: 'Unauthorized', status: 401, detail: 'The bearer token is invalid or has expired.' };
  it.each<[string, () => Promise<Record<string, string>> | Record<string, string>]>([
    ['alg none', () => bearer(idp.signNone(idp.claims()))],
    ['HS256 with the RSA public key', async () => bearer(await idp.signHs256WithPublicKey(idp.claims()))],
    ['PS256', async () => bearer(await idp.sign(idp.claims(), { alg: 'PS256' }))],
    ['expired', async () => bearer(await idp.sign(idp.claims({ iat: now() - 900, exp: now() - 60 })))],
    ['not yet valid', async () => bearer(await idp.sign(idp.claims({ nbf: now() + 600 })))],
    ['iat in the future', async () => bearer(await idp.sign(idp.claims({ iat: now() + 600, exp: now() + 900 })))],
    ['missing exp', async () => bearer(await idp.sign(idp.claims({ exp: undefined })))],
    ['lifetime too long', async () => bearer(await idp.sign(idp.claims({ exp: now() + 2 * 86_400 })))],
    ['wrong iss', async () => bearer(await idp.sign(idp.claims({ iss: 'https://evil.test' })))],
    ['wrong aud', async () => bearer(await idp.sign(idp.claims({ aud: 'elsewhere' })))],
    ['unknown kid', async () => bearer(await idp.sign(idp.claims(), { key: 'unpublished' }))],
    ['tampered payload', async () => bearer((await idp.sign(idp.claims())).replace(/\.[^.]+\./, `.${Buffer.from(JSON.stringify(idp.claims({ roles: ['admin'] }))).toString('base64url')}.`))],
    ['stripped signature', async () => bearer((await idp.sign(idp.claims())).replace(/[^.]+$/, ''))],
    ['garbage', () => bearer('garbage')],
    ['an oversized token', () => bearer('a'.repeat(9000))],
    ['sub not a string', async () => bearer(await idp.sign(idp.claims({ sub: 7 })))],
    ['roles not an array of strings', async () => bearer(await idp.sign(idp.claims({ roles: 'admin' })))],
    ['unknown crit', async () => bearer(await idp.sign(idp.claims(), { header: { crit: ['x-test'], 'x-test': 1 } }))],
    ['trailing garbage after the token', async () => ({ authorization: `Bearer ${await idp.sign(idp.claims())} x` })],
  ])('answers %s 401 invalid_token, the same problem whatever failed', async (_label, headers) => {
    const res = await get('/finance', await headers());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject(uniform);
    expect(Object.keys(body).sort()).toEqual(['detail', 'instance', 'requestId', 'status', 'title', 'type']);
  });

  it('a flood of tokens with random kids costs the IdP at most one JWKS fetch per cooldown', async () => {
    await get('/finance', bearer(await idp.sign(idp.claims()))); // keys loaded
    const before = idp.fetches();
    const forged = await Promise.all(
      Array.from({ length: 100 }, (_, i) => idp.sign(idp.claims(), { key: 'unpublished', header: { kid: `random-${i}-${Math.random()}` } })),
    );
    const statuses = await Promise.all(forged.map(async (token) => (await get('/finance', bearer(token))).status));
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(idp.fetches() - before).toBeLessThanOrEqual(1); // cooldown 60 s
  });

  it('skips authentication on public routes, and serves its own JWKS publicly', async () => {
    const res = await get('/open', bearer('garbage'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: 'anonymous' });
    const jwks = (await (await get('/.well-known/jwks.json')).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toEqual([{ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: expect.any(String), alg: 'ES256', use: 'sig' }]);
    expect(JSON.stringify(jwks)).not.toMatch(/"d"/);
  });

  it('answers 503 with Retry-After (not 401) when the provider is down and the key is not cached', async () => {
    const settings = { issuer: idp.issuer, audience: idp.audience, clockSkewS: 30, maxLifetimeS: 86_400, jwksCooldownMs: 5000 };
    const [fresh, freshBase] = await listen(appModule(AuthModule.forUsers('web-bff', { ...settings, jwksUrl: new URL(idp.jwksUrl) })));
    idp.setDown(true);
    try {
      const res = await fetch(`${freshBase}/finance`, { headers: bearer(await idp.sign(idp.claims())) });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect(await res.json()).toMatchObject({ type: 'urn:frontdoor:problem:service-unavailable', detail: 'The identity provider is unavailable; retry later.' });
      // meanwhile the gateway that had fetched the keys before keeps verifying tokens signed by them
      expect((await get('/finance', bearer(await idp.sign(idp.claims({ sub: 'while-down' }))))).status).toBe(200);
    } finally {
      idp.setDown(false);
      await fresh.nest.close();
    }
  });
});

describe('AuthModule.forPartners on a real socket, with the file store', () => {
  let dir: string;
  let app: BffApp;
  let base: string;
  let key: string;
  let keyId: string;
  let store: FileApiKeyStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'frontdoor-auth-'));
    const path = join(dir, 'keys.json');
    store = new FileApiKeyStore({ path });
    ({ key, record: { id: keyId } } = await createKey(store, { partnerId: 'acme', plan: 'gold' }));
    [app, base] = await listen(appModule(AuthModule.forPartners('partner-bff', { partnerKeysFile: path })));
  });
  afterAll(async () => {
    await app?.nest.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets a valid X-API-Key through as the partner with its plan', async () => {
    const res = await fetch(`${base}/partners`, { headers: { 'x-api-key': key } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ kind: 'partner', id: 'acme', roles: ['partner'], plan: 'gold', keyId });
  });

  it('closes user routes to partners', async () => {
    expect((await fetch(`${base}/finance`, { headers: { 'x-api-key': key } })).status).toBe(403);
  });

  it.each([
    ['no key', '/partners', {}],
    ['a wrong key', '/partners', { 'x-api-key': 'fd_live_WRONGwrongWRONGwrongWRONGwrongWRONGwrong12' }],
    ['a malformed key', '/partners', { 'x-api-key': 'x' }],
    ['a bearer token instead', '/partners', { authorization: 'Bearer abc' }],
    ['the key in the query string (ignored)', '/partners?api_key=KEY&x-api-key=KEY&apiKey=KEY', {}],
  ])('answers %s 401 with the ApiKey challenge', async (_label, path, headers) => {
    const res = await fetch(base + path.replaceAll('KEY', key), { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('ApiKey header="X-API-Key"');
    expect(await res.json()).toMatchObject({ status: 401, detail: 'A valid API key is required in the X-API-Key header.', instance: '/partners' });
  });

  it('refuses a revoked key (the file is re-read within a second)', async () => {
    await revokeKey(store, keyId);
    let status = 200;
    for (let i = 0; i < 40 && status === 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await fetch(`${base}/partners`, { headers: { 'x-api-key': key } })).status;
    }
    expect(status).toBe(401);
  });
});

describe('AuthModule.forPartners: what the start says of the key file', () => {
  it.each([
    ['a path where no file is', false, /the partner key file .*missing\.json \(PARTNER_KEYS_FILE\) does not exist: every partner is refused until it is created/],
    ['a file with one key', true, undefined],
  ])('%s', async (_label, create, expected) => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdoor-auth-start-'));
    const path = join(dir, create ? 'present.json' : 'missing.json');
    if (create) await createKey(new FileApiKeyStore({ path }), { partnerId: 'acme', plan: 'gold' });
    const logs = captureLogs();
    const app = await createBffApp(appModule(AuthModule.forPartners('partner-bff', { partnerKeysFile: path })), {
      app: 'probe',
      server: { ...server, logLevel: 'info' },
      logDestination: logs.stream,
    });
    try {
      if (expected) expect(logs.text()).toMatch(expected);
      else expect(logs.text()).not.toMatch(/partner key file/);
    } finally {
      await app.nest.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('AuthModule.forPartners with the Redis store (REDIS_URL)', () => {
  let redis: RedisServer;
  let key: string;

  beforeAll(async () => {
    redis = await startRedis();
    const admin = await openKeyStore({ partnerKeysFile: 'unused.json', redisUrl: redis.url });
    ({ key } = await createKey(admin.store, { partnerId: 'globex', plan: 'free' }));
    await admin.close();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  /** The app's first request, sent as soon as it is built (a load balancer does not wait for Redis either). */
  const firstRequest = async (redisUrl: URL) => {
    const started = Date.now();
    const app = await createBffApp(appModule(AuthModule.forPartners('partner-bff', { partnerKeysFile: 'unused.json', redisUrl })), { app: 'probe', server });
    const startedInMs = Date.now() - started;
    try {
      const fastify = app.nest.getHttpAdapter().getInstance() as unknown as FastifyInstance;
      return { startedInMs, res: await fastify.inject({ url: '/partners', headers: { 'x-api-key': key } }) };
    } finally {
      await app.nest.close();
    }
  };

  it('verifies a key from the very first request: start-up waits for the key store connection (as for limits and idempotency)', async () => {
    // The connection has no offline queue: a lookup sent before it is ready fails at once. Before, the app started
    // without waiting for it, and a loaded CI machine answered the first partner requests 503 with Redis up.
    const { res } = await firstRequest(redis.url);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'partner', id: 'globex', plan: 'free' });
  });

  it('starts anyway within about a second while Redis is away, and answers a key it cannot check 503 (not 401)', async () => {
    const { startedInMs, res } = await firstRequest(new URL(`redis://127.0.0.1:${await closedPort()}`));
    expect(startedInMs).toBeLessThan(5000); // the wait is bounded (1 s), never a hang on Redis
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
  });
});
