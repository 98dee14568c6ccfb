import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { startDemoEstate } from './demo-estate';
import type { DemoEstate } from './demo-estate.types';

/** A stand-in gateway: an ES256 key whose public half is served as a JWKS, and tokens signed with it. */
async function fakeGateway(): Promise<{ jwksUrl: string; sign: (claims: Record<string, unknown>) => Promise<string>; close: () => Promise<void> }> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'gw-1', alg: 'ES256', use: 'sig' };
  const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    sign: (claims) => signWith(privateKey, 'gw-1', claims),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function signWith(key: KeyLike, kid: string, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).sign(key);
}

describe('the services trust only what a gateway signs for them', () => {
  let estate: DemoEstate;
  let gateway: Awaited<ReturnType<typeof fakeGateway>>;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (overrides: Record<string, unknown> = {}) => ({ iss: 'frontdoor:web-bff', sub: 'alice', aud: 'hr', roles: ['hr'], iat: now(), exp: now() + 60, ...overrides });
  const hr = (path: string, headers: Record<string, string> = {}) => fetch(`${estate.urls.hr}${path}`, { headers });

  beforeAll(async () => {
    gateway = await fakeGateway();
    estate = await startDemoEstate();
  });
  afterAll(async () => {
    await estate?.stop();
    await gateway?.close();
  });

  it('is open while no gateway is trusted, closed once one is', async () => {
    expect((await hr('/employees/E0001')).status).toBe(200);
    estate.trustGateways([gateway.jwksUrl]);
    expect((await hr('/employees/E0001')).status).toBe(401);
  });

  it('answers a call carrying the gateway token for this service', async () => {
    const res = await hr('/employees/E0001', { authorization: `Bearer ${await gateway.sign(claims())}` });
    expect(res.status).toBe(200);
  });

  it.each<[string, () => Promise<Record<string, string>>]>([
    ['no credentials', async () => ({})],
    ['forged identity headers', async () => ({ 'x-user-id': 'alice', 'x-roles': 'admin', 'x-partner-id': 'acme', 'x-forwarded-user': 'alice' })],
    ['a user token from the identity provider', async () => ({ authorization: `Bearer ${await estate.issueToken({ sub: 'alice', roles: ['admin'] })}` })],
    ['a partner API key', async () => ({ 'x-api-key': 'fd_demo_acme_Q7mV2xK9pL4tRz8NwC3yHb6JdF5sGa1E' })],
    ['a gateway token for another service', async () => ({ authorization: `Bearer ${await gateway.sign(claims({ aud: 'payroll' }))}` })],
    ['an expired gateway token', async () => ({ authorization: `Bearer ${await gateway.sign(claims({ iat: now() - 120, exp: now() - 60 }))}` })],
    ['a gateway token living too long', async () => ({ authorization: `Bearer ${await gateway.sign(claims({ exp: now() + 3600 }))}` })],
    ['a token signed by an untrusted key with the trusted kid', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      return { authorization: `Bearer ${await signWith(privateKey, 'gw-1', claims())}` };
    }],
  ])('refuses %s with 401 (and records what arrived)', async (_label, headers) => {
    estate.clearRecorded();
    const sent = await headers();
    const res = await hr('/employees/E0001', sent);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(estate.recorded('hr')).toHaveLength(1);
  });

  it('keeps /health and the demo knob open', async () => {
    expect((await hr('/health')).status).toBe(200);
    expect((await hr('/__demo/fault')).status).toBe(200);
  });
});
