import { startTestIdp, type TestIdp } from '@frontdoor/testing';
import { isAuthFailure, type AuthFailure } from '../auth.errors';
import { JwksCache } from './jwks.cache';
import { UserTokenVerifier, type UserTokenPolicy } from './user-token.verifier';

/** How a verification ended: the principal, or the failure kind and its (internal) reason. */
async function outcome(verifier: UserTokenVerifier, token: string): Promise<unknown> {
  try {
    return await verifier.verify(token);
  } catch (error) {
    if (!isAuthFailure(error)) throw error;
    return { failed: (error as AuthFailure).kind, reason: error.message };
  }
}

const SKEW = 30;
const DAY = 86_400;

describe('UserTokenVerifier against a test IdP with its own keys', () => {
  let idp: TestIdp;
  let verifier: UserTokenVerifier;
  let policy: UserTokenPolicy;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    idp = await startTestIdp();
    policy = { issuer: idp.issuer, audience: idp.audience, clockSkewS: SKEW, maxLifetimeS: DAY };
    verifier = new UserTokenVerifier(new JwksCache({ url: new URL(idp.jwksUrl), cooldownMs: 60_000 }), policy);
  });
  afterAll(() => idp.close());

  it.each([
    ['an RS256 token', () => idp.sign(idp.claims()), { kind: 'user', id: 'alice', roles: ['finance'] }],
    ['an ES256 token', () => idp.sign(idp.claims({ sub: 'bob', roles: ['hr', 'admin'] }), { key: 'ec' }), { kind: 'user', id: 'bob', roles: ['hr', 'admin'] }],
    ['a token without roles (none)', () => idp.sign(idp.claims({ roles: undefined })), { kind: 'user', id: 'alice', roles: [] }],
    ['iat within the clock skew ahead', () => idp.sign(idp.claims({ iat: now() + SKEW - 5 })), { kind: 'user', id: 'alice', roles: ['finance'] }],
    ['exp within the clock skew behind', () => idp.sign(idp.claims({ iat: now() - 100, exp: now() - SKEW + 5 })), { kind: 'user', id: 'alice', roles: ['finance'] }],
    ['nbf in the past', () => idp.sign(idp.claims({ nbf: now() - 10 })), { kind: 'user', id: 'alice', roles: ['finance'] }],
    ['an aud array holding ours', () => idp.sign(idp.claims({ aud: ['other', idp.audience] })), { kind: 'user', id: 'alice', roles: ['finance'] }],
  ])('accepts %s', async (_label, token, principal) => {
    expect(await outcome(verifier, await token())).toEqual(principal);
  });

  const tamper = (token: string) => {
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    return `${h}.${Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url')}.${s}`;
  };

  it.each<[string, () => Promise<string> | string]>([
    ['alg none', () => idp.signNone(idp.claims())],
    ['HS256 signed with the RSA public key', () => idp.signHs256WithPublicKey(idp.claims())],
    ['a PS256 token from the RSA key', () => idp.sign(idp.claims(), { alg: 'PS256' })],
    ['an EC signature presented as the RSA key', () => idp.sign(idp.claims(), { key: 'ec', header: { kid: idp.kidOf('rsa') } })],
    ['expired', () => idp.sign(idp.claims({ iat: now() - 700, exp: now() - SKEW - 5 }))],
    ['not yet valid (nbf)', () => idp.sign(idp.claims({ nbf: now() + SKEW + 60 }))],
    ['iat in the future', () => idp.sign(idp.claims({ iat: now() + SKEW + 60, exp: now() + 900 }))],
    ['missing exp', () => idp.sign(idp.claims({ exp: undefined }))],
    ['missing iat', () => idp.sign(idp.claims({ iat: undefined }))],
    ['exp as a string', () => idp.sign(idp.claims({ exp: String(now() + 600) }))],
    ['a lifetime longer than the maximum', () => idp.sign(idp.claims({ exp: now() + DAY + 60 }))],
    ['exp before iat', () => idp.sign(idp.claims({ iat: now() + 10, exp: now() + 5 }))],
    ['a wrong iss', () => idp.sign(idp.claims({ iss: 'https://evil.test' }))],
    ['no iss', () => idp.sign(idp.claims({ iss: undefined }))],
    ['a wrong aud', () => idp.sign(idp.claims({ aud: 'another-api' }))],
    ['no aud', () => idp.sign(idp.claims({ aud: undefined }))],
    ['an unknown kid', () => idp.sign(idp.claims(), { key: 'unpublished' })],
    ['no kid', () => idp.sign(idp.claims(), { header: { kid: undefined } })],
    ['a published kid on a signature by another key', () => idp.sign(idp.claims(), { key: 'unpublished', header: { kid: idp.kidOf('rsa') } })],
    ['a tampered payload', async () => tamper(await idp.sign(idp.claims()))],
    ['a stripped signature', async () => (await idp.sign(idp.claims())).replace(/[^.]+$/, '')],
    ['an unknown crit', () => idp.sign(idp.claims(), { header: { crit: ['x-frontdoor-test'], 'x-frontdoor-test': 1 } })],
    ['garbage', () => 'garbage'],
    ['three garbage segments', () => 'abc.def.ghi'],
    ['a header that is not JSON', () => `${Buffer.from('{nope').toString('base64url')}.e30.c2ln`],
    ['an oversized token (> 8 KiB)', async () => idp.sign(idp.claims({ pad: 'x'.repeat(9000) }))],
    ['sub a number', () => idp.sign(idp.claims({ sub: 42 }))],
    ['sub an object', () => idp.sign(idp.claims({ sub: { id: 'alice' } }))],
    ['sub empty', () => idp.sign(idp.claims({ sub: '' }))],
    ['no sub', () => idp.sign(idp.claims({ sub: undefined }))],
    ['roles a string', () => idp.sign(idp.claims({ roles: 'admin' }))],
    ['roles holding a number', () => idp.sign(idp.claims({ roles: ['admin', 1] }))],
    ['roles holding an object', () => idp.sign(idp.claims({ roles: [{ admin: true }] }))],
  ])('refuses %s as invalid', async (_label, token) => {
    expect(await outcome(verifier, await token())).toMatchObject({ failed: 'invalid' });
  });

  it('remembers a verified token, never past its exp', async () => {
    let clock = Date.now();
    let lookups = 0;
    const jwks = new JwksCache({ url: new URL(idp.jwksUrl), cooldownMs: 60_000 });
    const counting = new UserTokenVerifier({ keyFor: (kid, alg) => (lookups++, jwks.keyFor(kid, alg)) }, { ...policy, now: () => clock });
    const exp = Math.floor(clock / 1000) + 120;
    const token = await idp.sign(idp.claims({ exp }));
    for (let i = 0; i < 5; i++) await counting.verify(token);
    expect(lookups).toBe(1);
    clock = exp * 1000; // at exp the entry is gone; within the skew the token is verified again (and still valid)
    await counting.verify(token);
    expect(lookups).toBe(2);
    clock = (exp + SKEW + 1) * 1000;
    expect(await outcome(counting, token)).toMatchObject({ failed: 'invalid' });
  });

  it('tells the guard\'s fast path (remembered) only tokens it verified, until their exp', async () => {
    let clock = Date.now();
    const jwks = new JwksCache({ url: new URL(idp.jwksUrl), cooldownMs: 60_000 });
    const remembering = new UserTokenVerifier(jwks, { ...policy, now: () => clock });
    const exp = Math.floor(clock / 1000) + 120;
    const token = await idp.sign(idp.claims({ exp }));
    expect(remembering.remembered(token)).toBeUndefined();
    const principal = await remembering.verify(token);
    expect(remembering.remembered(token)).toBe(principal);
    expect(remembering.remembered(`${token}x`)).toBeUndefined();
    expect(remembering.remembered(await idp.sign(idp.claims({ exp, sub: 'bob' })))).toBeUndefined(); // never verified here
    clock = exp * 1000;
    expect(remembering.remembered(token)).toBeUndefined();
  });

  it('keeps at most cacheEntries verified tokens (least recently used out)', async () => {
    let lookups = 0;
    const jwks = new JwksCache({ url: new URL(idp.jwksUrl), cooldownMs: 60_000 });
    const small = new UserTokenVerifier({ keyFor: (kid, alg) => (lookups++, jwks.keyFor(kid, alg)) }, { ...policy, cacheEntries: 2 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((sub) => idp.sign(idp.claims({ sub }))));
    for (const token of [a, b, a, c, a] as string[]) await small.verify(token);
    expect(lookups).toBe(3); // a, b, c; the second and third a are hits; c evicted b
    await small.verify(b as string);
    expect(lookups).toBe(4);
  });
});
