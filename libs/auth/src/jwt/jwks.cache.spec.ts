import { randomUUID } from 'node:crypto';
import { startTestIdp, type TestIdp } from '@frontdoor/testing';
import { isAuthFailure } from '../auth.errors';
import { JwksCache } from './jwks.cache';

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isAuthFailure(error) ? error.kind : `unexpected ${String(error)}`;
  }
}

describe('JwksCache', () => {
  let idp: TestIdp;
  let clock: number;
  const cache = (options: { cooldownMs?: number; maxAgeMs?: number } = {}) =>
    new JwksCache({ url: new URL(idp.jwksUrl), cooldownMs: options.cooldownMs ?? 10_000, maxAgeMs: options.maxAgeMs, now: () => clock });

  let fetchesBefore: number;
  /** JWKS fetches the provider saw since the test began (one provider for all tests: key generation is slow). */
  const fetches = () => idp.fetches() - fetchesBefore;

  beforeAll(async () => (idp = await startTestIdp()));
  beforeEach(() => {
    clock = 1_000_000;
    fetchesBefore = idp.fetches();
  });
  afterEach(() => idp.setDown(false));
  afterAll(() => idp.close());

  it('a flood of random kids costs the provider at most one fetch per cooldown', async () => {
    const jwks = cache();
    const flood = () => Promise.all(Array.from({ length: 200 }, () => failureOf(jwks.keyFor(randomUUID(), 'RS256'))));
    expect(new Set(await flood())).toEqual(new Set(['invalid']));
    expect(fetches()).toBe(1);
    clock += 9_999;
    await flood();
    expect(fetches()).toBe(1);
    clock += 1;
    await flood();
    expect(fetches()).toBe(2);
    expect(jwks.fetches).toBe(2);
  });

  it('serves a known kid from memory, of the algorithm its key is for', async () => {
    const jwks = cache();
    await jwks.keyFor(idp.kidOf('rsa'), 'RS256');
    await jwks.keyFor(idp.kidOf('ec'), 'ES256');
    for (let i = 0; i < 50; i++) await jwks.keyFor(idp.kidOf('rsa'), 'RS256');
    expect(fetches()).toBe(1);
    expect(await failureOf(jwks.keyFor(idp.kidOf('rsa'), 'ES256'))).toBe('invalid');
    expect(await failureOf(jwks.keyFor(idp.kidOf('ec'), 'RS256'))).toBe('invalid');
  });

  it('picks up a rotation at the provider without restart, one cooldown after the last fetch', async () => {
    const jwks = cache();
    await jwks.keyFor(idp.kidOf('rsa'), 'RS256');
    const before = idp.kidOf('rsa');
    await idp.rotate();
    expect(await failureOf(jwks.keyFor(idp.kidOf('rsa'), 'RS256'))).toBe('invalid'); // within the cooldown
    clock += 10_000;
    expect(await failureOf(jwks.keyFor(idp.kidOf('rsa'), 'RS256'))).toBe('resolved');
    expect(await failureOf(jwks.keyFor(before, 'RS256'))).toBe('resolved'); // still published
    expect(fetches()).toBe(2);
  });

  it('refreshes old keys in the background and keeps serving them while the provider is down', async () => {
    const jwks = cache({ maxAgeMs: 60_000 });
    await jwks.keyFor(idp.kidOf('rsa'), 'RS256');
    idp.setDown(true);
    clock += 61_000;
    expect(await failureOf(jwks.keyFor(idp.kidOf('rsa'), 'RS256'))).toBe('resolved');
    for (let i = 0; i < 100 && fetches() < 2; i++) await new Promise((r) => setTimeout(r, 10)); // the background refresh
    expect(fetches()).toBe(2);
    expect(await failureOf(jwks.keyFor(idp.kidOf('rsa'), 'RS256'))).toBe('resolved');
  });

  it('answers unavailable (not invalid) for an uncached kid while the provider is down, then recovers', async () => {
    idp.setDown(true);
    const jwks = cache();
    expect(await failureOf(jwks.keyFor(idp.kidOf('rsa'), 'RS256'))).toBe('unavailable');
    expect(await failureOf(jwks.keyFor(randomUUID(), 'RS256'))).toBe('unavailable'); // within the cooldown: no fetch
    expect(fetches()).toBe(1);
    idp.setDown(false);
    clock += 10_000;
    expect(await failureOf(jwks.keyFor(idp.kidOf('rsa'), 'RS256'))).toBe('resolved');
    expect(await failureOf(jwks.keyFor(randomUUID(), 'RS256'))).toBe('invalid');
  });

  it('state: none before the first fetch (reading it never fetches), succeeded once one did, with its keys', async () => {
    const jwks = cache();
    expect(jwks.state).toEqual({ lastFetch: 'none', cachedKeys: 0 });
    expect(fetches()).toBe(0);
    const first = jwks.keyFor(idp.kidOf('rsa'), 'RS256');
    expect(jwks.state).toEqual({ lastFetch: 'none', cachedKeys: 0 }); // in flight: no outcome yet
    await first;
    const { cachedKeys } = jwks.state; // the keys the test IdP publishes (RSA and EC, plus those rotated out earlier)
    expect(cachedKeys).toBeGreaterThanOrEqual(2);
    expect(jwks.state).toEqual({ lastFetch: 'succeeded', cachedKeys });
    expect(fetches()).toBe(1);
  });

  it('state: failed with the earlier keys still cached while the provider is down, succeeded after a refetch', async () => {
    const jwks = cache();
    await jwks.keyFor(idp.kidOf('rsa'), 'RS256');
    const { cachedKeys } = jwks.state;
    expect(cachedKeys).toBeGreaterThanOrEqual(2);
    idp.setDown(true);
    clock += 10_000;
    expect(await failureOf(jwks.keyFor(randomUUID(), 'RS256'))).toBe('unavailable');
    expect(jwks.state).toEqual({ lastFetch: 'failed', cachedKeys });
    expect(await failureOf(jwks.keyFor(idp.kidOf('rsa'), 'RS256'))).toBe('resolved'); // cached kids still verify
    idp.setDown(false);
    clock += 10_000;
    expect(await failureOf(jwks.keyFor(randomUUID(), 'RS256'))).toBe('invalid');
    expect(jwks.state).toEqual({ lastFetch: 'succeeded', cachedKeys });
    expect(fetches()).toBe(3);
  });

  it('state: failed with no key when no fetch ever succeeded', async () => {
    idp.setDown(true);
    const jwks = cache();
    expect(await failureOf(jwks.keyFor(idp.kidOf('rsa'), 'RS256'))).toBe('unavailable');
    expect(jwks.state).toEqual({ lastFetch: 'failed', cachedKeys: 0 });
  });

  it('answers unavailable for an unreachable provider URL', async () => {
    const jwks = new JwksCache({ url: new URL('http://127.0.0.1:9/jwks.json'), cooldownMs: 1000 });
    expect(await failureOf(jwks.keyFor('any', 'RS256'))).toBe('unavailable');
  });
});
