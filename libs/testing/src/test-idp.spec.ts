import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startTestIdp, type TestIdp } from './test-idp';

describe('startTestIdp', () => {
  let idp: TestIdp;
  beforeAll(async () => (idp = await startTestIdp()));
  afterAll(() => idp.close());

  it('serves its JWKS, counts fetches, and signs tokens that verify against it', async () => {
    const jwks = (await (await fetch(idp.jwksUrl)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([idp.kidOf('rsa'), idp.kidOf('ec')]);
    expect(idp.fetches()).toBe(1);
    const token = await idp.sign(idp.claims(), { key: 'ec' });
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as never), { issuer: idp.issuer, audience: idp.audience });
    expect(payload).toMatchObject({ sub: 'alice', roles: ['finance'] });
    expect(decodeProtectedHeader(idp.signNone(idp.claims()))).toMatchObject({ alg: 'none' });
  });

  it('rotates (publishing the new and the previous key) and goes down on demand', async () => {
    const before = idp.kidOf('rsa');
    await idp.rotate();
    const jwks = (await (await fetch(idp.jwksUrl)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([idp.kidOf('rsa'), idp.kidOf('ec'), before]);
    idp.setDown(true);
    await expect(fetch(idp.jwksUrl)).rejects.toThrow();
    idp.setDown(false);
  });
});
