import { startTestIdp, type TestIdp } from '@frontdoor/testing';
import { isAuthFailure, type AuthFailure } from '../auth.errors';
import { JwksCache, type VerificationKeys } from './jwks.cache';
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

/** The keys passed to a verifier, counting the lookups it makes (a lookup precedes every signature check). */
function counting(keys: VerificationKeys): VerificationKeys & { lookups: number } {
  const counted = { lookups: 0, keyFor: (kid: string, alg: Parameters<VerificationKeys['keyFor']>[1]) => (counted.lookups++, keys.keyFor(kid, alg)) };
  return counted;
}

/** A refusal as the guard sees it (kind, reason) plus the code of jose's error behind it, if any. */
async function failureOf(verifier: UserTokenVerifier, token: string): Promise<unknown> {
  const refused = await verifier.verify(token).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!isAuthFailure(refused)) throw new Error(`expected an AuthFailure, got ${String(refused)}`);
  return { failed: refused.kind, reason: refused.message, code: (refused.cause as { code?: unknown } | undefined)?.code };
}

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

  describe('remembering refused tokens', () => {
    const jwksOf = (of: TestIdp, now?: () => number) => new JwksCache({ url: new URL(of.jwksUrl), cooldownMs: 60_000, now });

    it('refuses a bad signature again without a key lookup or a signature check, with the same failure', async () => {
      const keys = counting(jwksOf(idp));
      const remembering = new UserTokenVerifier(keys, policy);
      const token = await idp.sign(idp.claims(), { key: 'unpublished', header: { kid: idp.kidOf('rsa') } });
      const first = await failureOf(remembering, token);
      expect(first).toEqual({ failed: 'invalid', reason: 'jose refused the token', code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
      expect(await failureOf(remembering, token)).toEqual(first);
      expect(keys.lookups).toBe(1);
    });

    it('refuses an expired token again without a key lookup', async () => {
      const keys = counting(jwksOf(idp));
      const remembering = new UserTokenVerifier(keys, policy);
      const token = await idp.sign(idp.claims({ iat: now() - 700, exp: now() - SKEW - 5 }));
      const first = await failureOf(remembering, token);
      expect(first).toMatchObject({ failed: 'invalid', code: 'ERR_JWT_EXPIRED' });
      expect(await failureOf(remembering, token)).toEqual(first);
      expect(keys.lookups).toBe(1);
    });

    it('remembers failures of its own checks on the claims (a lifetime too long)', async () => {
      const keys = counting(jwksOf(idp));
      const remembering = new UserTokenVerifier(keys, policy);
      const token = await idp.sign(idp.claims({ exp: now() + DAY + 60 }));
      const first = await failureOf(remembering, token);
      expect(first).toEqual({ failed: 'invalid', reason: 'lifetime out of bounds', code: undefined });
      expect(await failureOf(remembering, token)).toEqual(first);
      expect(keys.lookups).toBe(1);
    });

    it.each([
      ['nbf', (nowS: number) => ({ nbf: nowS + SKEW + 60 }), 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
      ['iat', (nowS: number) => ({ iat: nowS + SKEW + 60, exp: nowS + 900 }), undefined],
    ])('does not remember a token not valid yet (%s ahead beyond the skew): it passes once the clock gets there', async (_claim, claims, code) => {
      let clock = Date.now();
      const keys = counting(jwksOf(idp));
      const remembering = new UserTokenVerifier(keys, { ...policy, now: () => clock });
      const token = await idp.sign(idp.claims(claims(Math.floor(clock / 1000))));
      expect(await failureOf(remembering, token)).toMatchObject({ failed: 'invalid', code });
      expect(await failureOf(remembering, token)).toMatchObject({ failed: 'invalid', code });
      expect(keys.lookups).toBe(2);
      clock += 70_000; // the claim is now within the skew
      expect(await outcome(remembering, token)).toEqual({ kind: 'user', id: 'alice', roles: ['finance'] });
      expect(keys.lookups).toBe(3);
    });

    it('does not remember an unknown kid: once the JWKS publishes it (rotation), the same token passes', async () => {
      const rotating = await startTestIdp();
      try {
        let jwksClock = Date.now();
        const keys = counting(jwksOf(rotating, () => jwksClock));
        const remembering = new UserTokenVerifier(keys, { ...policy, issuer: rotating.issuer, audience: rotating.audience });
        await remembering.verify(await rotating.sign(rotating.claims())); // the JWKS is loaded, before the rotation
        await rotating.rotate();
        const token = await rotating.sign(rotating.claims({ sub: 'bob' }));
        expect(await failureOf(remembering, token)).toEqual({ failed: 'invalid', reason: 'no key with this kid', code: undefined });
        expect(await failureOf(remembering, token)).toEqual({ failed: 'invalid', reason: 'no key with this kid', code: undefined });
        expect(keys.lookups).toBe(3);
        jwksClock += 60_001; // past the cooldown: the next unknown kid refetches
        expect(await outcome(remembering, token)).toEqual({ kind: 'user', id: 'bob', roles: ['finance'] });
        expect(keys.lookups).toBe(4);
      } finally {
        await rotating.close();
      }
    });

    it('does not remember `unavailable`: once the provider is back, the same token passes', async () => {
      const flaky = await startTestIdp();
      try {
        let jwksClock = Date.now();
        const keys = counting(jwksOf(flaky, () => jwksClock));
        const remembering = new UserTokenVerifier(keys, { ...policy, issuer: flaky.issuer, audience: flaky.audience });
        const token = await flaky.sign(flaky.claims());
        flaky.setDown(true);
        expect(await outcome(remembering, token)).toMatchObject({ failed: 'unavailable' });
        expect(await outcome(remembering, token)).toMatchObject({ failed: 'unavailable' });
        expect(keys.lookups).toBe(2);
        flaky.setDown(false);
        jwksClock += 60_001;
        expect(await outcome(remembering, token)).toEqual({ kind: 'user', id: 'alice', roles: ['finance'] });
        expect(keys.lookups).toBe(3);
      } finally {
        await flaky.close();
      }
    });

    it.each([
      ['the default 60 s', undefined, 60_000],
      ['rejectedTtlS', 5, 5_000],
    ])('forgets a refused token after %s, then verifies it again', async (_label, rejectedTtlS, ttlMs) => {
      let clock = Date.now();
      const keys = counting(jwksOf(idp));
      const remembering = new UserTokenVerifier(keys, { ...policy, rejectedTtlS, now: () => clock });
      const token = await idp.sign(idp.claims(), { key: 'unpublished', header: { kid: idp.kidOf('rsa') } });
      const start = clock;
      await failureOf(remembering, token);
      clock = start + ttlMs - 1;
      await failureOf(remembering, token);
      expect(keys.lookups).toBe(1);
      clock = start + ttlMs;
      expect(await failureOf(remembering, token)).toMatchObject({ failed: 'invalid', code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
      expect(keys.lookups).toBe(2);
    });

    it('keeps at most rejectedEntries refused tokens (least recently used out)', async () => {
      const keys = counting(jwksOf(idp));
      const small = new UserTokenVerifier(keys, { ...policy, rejectedEntries: 2 });
      const [a, b, c] = await Promise.all(
        ['a', 'b', 'c'].map((sub) => idp.sign(idp.claims({ sub }), { key: 'unpublished', header: { kid: idp.kidOf('rsa') } })),
      );
      for (const token of [a, b, c] as string[]) await failureOf(small, token);
      expect(keys.lookups).toBe(3);
      await failureOf(small, b as string);
      await failureOf(small, c as string);
      expect(keys.lookups).toBe(3); // b and c remembered
      expect(await failureOf(small, a as string)).toMatchObject({ failed: 'invalid', code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
      expect(keys.lookups).toBe(4); // c evicted a
    });

    it('never remembers a token refused before the cache (too long), nor answers for an accepted one', async () => {
      const keys = counting(jwksOf(idp));
      const remembering = new UserTokenVerifier(keys, { ...policy, rejectedEntries: 1 });
      const good = await idp.sign(idp.claims());
      const bad = await idp.sign(idp.claims(), { key: 'unpublished', header: { kid: idp.kidOf('rsa') } });
      await failureOf(remembering, bad);
      expect(await failureOf(remembering, await idp.sign(idp.claims({ pad: 'x'.repeat(9000) })))).toMatchObject({ reason: 'token too long' });
      await failureOf(remembering, bad); // still remembered: the oversized token did not take its place (capacity 1)
      expect(keys.lookups).toBe(1);
      expect(await outcome(remembering, good)).toEqual({ kind: 'user', id: 'alice', roles: ['finance'] });
      expect(await outcome(remembering, good)).toEqual({ kind: 'user', id: 'alice', roles: ['finance'] });
      expect(keys.lookups).toBe(2);
    });
  });
});

describe('UserTokenVerifier: a key the provider stops publishing', () => {
  let idp: TestIdp;
  beforeAll(async () => (idp = await startTestIdp()));
  afterAll(() => idp.close());

  it('takes the tokens remembered under it: refetched once the keys are stale even if every client reuses its token, then refused', async () => {
    let clock = Date.now();
    const jwks = new JwksCache({ url: new URL(idp.jwksUrl), cooldownMs: 1_000, maxAgeMs: 60_000, now: () => clock });
    const policy = { issuer: idp.issuer, audience: idp.audience, clockSkewS: SKEW, maxLifetimeS: DAY, now: () => clock };
    const verifier = new UserTokenVerifier(jwks, policy);
    const exp = Math.floor(clock / 1000) + 3600;
    const old = await idp.sign(idp.claims({ exp }));
    const other = await idp.sign(idp.claims({ exp, sub: 'bob' }), { key: 'ec' });
    await verifier.verify(old);
    await verifier.verify(other);
    expect(verifier.remembered(old)).toMatchObject({ id: 'alice' });

    await idp.rotate();
    await idp.rotate(); // the RSA key `old` was signed with is no longer published
    const fetchesBefore = idp.fetches();
    clock += 30_000; // keys not stale yet: no fetch, the token is still remembered
    expect(verifier.remembered(old)).toMatchObject({ id: 'alice' });
    expect(idp.fetches()).toBe(fetchesBefore);

    clock += 31_000; // stale: the remembered-token path itself starts the refetch
    verifier.remembered(old);
    for (let i = 0; i < 50 && idp.fetches() === fetchesBefore; i++) await new Promise((r) => setTimeout(r, 20));
    expect(idp.fetches()).toBe(fetchesBefore + 1);
    for (let i = 0; i < 50 && verifier.remembered(other) !== undefined; i++) await new Promise((r) => setTimeout(r, 20));
    expect(verifier.remembered(old)).toBeUndefined();
    expect(await outcome(verifier, old)).toMatchObject({ failed: 'invalid' });
    // a token under a key still published is verified again, and accepted
    expect(await outcome(verifier, other)).toMatchObject({ id: 'bob' });
  });
});
