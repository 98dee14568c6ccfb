import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { DEMO_JWT_AUDIENCE, DEMO_JWT_ISSUER } from '@frontdoor/config';
import { DEMO_PARTNERS, DEMO_ROLES } from './demo-credentials';
import { startDemoEstate } from './demo-estate';
import type { DemoEstate } from './demo-estate.types';

function postToken(estate: DemoEstate, body: string): Promise<Response> {
  return fetch(`${estate.urls.identity}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
}

describe('identity (dev IdP)', () => {
  let estate: DemoEstate;
  beforeAll(async () => {
    estate = await startDemoEstate();
  });
  afterAll(() => estate?.stop());

  it('issues RS256 tokens with a kid that verify against its JWKS', async () => {
    const res = await postToken(estate, JSON.stringify({ sub: 'alice', roles: ['finance'] }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    expect(decodeProtectedHeader(body.access_token)).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    const jwks = createRemoteJWKSet(new URL(estate.jwksUrl));
    const { payload } = await jwtVerify(body.access_token, jwks, {
      issuer: DEMO_JWT_ISSUER,
      audience: DEMO_JWT_AUDIENCE,
    });
    expect(payload).toMatchObject({
      sub: 'alice',
      roles: ['finance'],
      iss: estate.issuer,
      aud: estate.audience,
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(3600);
  });

  it.each([
    ['malformed JSON', '{"sub":'],
    ['not an object', '["alice"]'],
    ['missing sub', '{"roles":["admin"]}'],
    ['empty sub', '{"sub":""}'],
    ['sub too long', JSON.stringify({ sub: 'x'.repeat(65) })],
    ['unknown role', '{"sub":"alice","roles":["root"]}'],
    ['roles not an array', '{"sub":"alice","roles":"admin"}'],
    ['role not a string', '{"sub":"alice","roles":[1]}'],
  ])('refuses %s with a 400 problem', async (_case, body) => {
    const res = await postToken(estate, body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await res.json()).toMatchObject({ status: 400, title: 'Bad Request', detail: expect.any(String) });
  });

  it('lists the demo partners and one verifiable token per role', async () => {
    const res = await fetch(`${estate.urls.identity}/demo/credentials`);
    const body = (await res.json()) as { partners: unknown; tokens: Record<string, string> };
    expect(body.partners).toEqual(DEMO_PARTNERS);
    expect(Object.keys(body.tokens).sort()).toEqual([...DEMO_ROLES].sort());
    const jwks = createRemoteJWKSet(new URL(estate.jwksUrl));
    const { payload } = await jwtVerify(body.tokens['hr'] as string, jwks, {
      issuer: estate.issuer,
      audience: estate.audience,
    });
    expect(payload).toMatchObject({ sub: 'demo-hr', roles: ['hr'] });
    expect(DEMO_PARTNERS.map((p) => [p.partnerId, p.plan])).toEqual([
      ['acme', 'gold'],
      ['globex', 'free'],
    ]);
    for (const p of DEMO_PARTNERS)
      expect(p.apiKey).toMatch(new RegExp(`^fd_demo_${p.partnerId}_[A-Za-z0-9]{32,}$`));
  });

  it('issues in-process tokens and, after a rotation, serves the new and the previous key', async () => {
    const before = await estate.issueToken({ sub: 'bob', roles: ['admin', 'admin'] });
    await expect(estate.issueToken({ sub: '' })).rejects.toThrow('sub must be');
    await estate.rotateIdentityKeys();
    const after = await estate.issueToken({ sub: 'bob' });
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    const jwks = (await (await fetch(estate.jwksUrl)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([
      decodeProtectedHeader(after).kid,
      decodeProtectedHeader(before).kid,
    ]);
    const keySet = createRemoteJWKSet(new URL(estate.jwksUrl));
    for (const token of [before, after])
      await expect(
        jwtVerify(token, keySet, { issuer: estate.issuer, audience: estate.audience }),
      ).resolves.toBeDefined();
    expect((await jwtVerify(before, keySet)).payload['roles']).toEqual(['admin']);
  });

  it('honours issuer, audience and lifetime options', async () => {
    const custom = await startDemoEstate({
      issuer: 'https://idp.test',
      audience: 'other',
      tokenLifetimeS: 60,
    });
    try {
      const token = await custom.issueToken({ sub: 'carol', roles: [] });
      const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(custom.jwksUrl)), {
        issuer: 'https://idp.test',
        audience: 'other',
      });
      expect((payload.exp as number) - (payload.iat as number)).toBe(60);
    } finally {
      await custom.stop();
    }
  });
});
