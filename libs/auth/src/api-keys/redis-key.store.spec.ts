import { RedisConnection } from '@frontdoor/redis';
import { startRedis, type RedisServer } from '@frontdoor/testing';
import { isAuthFailure } from '../auth.errors';
import { ApiKeyVerifier } from './api-key.verifier';
import { createKey, listKeys, openKeyStore, revokeKey, type OpenedKeyStore } from './key-admin';
import { RedisApiKeyStore } from './redis-key.store';

async function verdict(verifier: ApiKeyVerifier, key: unknown): Promise<unknown> {
  try {
    return await verifier.verify(key);
  } catch (error) {
    return isAuthFailure(error) ? error.kind : error;
  }
}

/** The Redis store on a real redis-server (Debian's; `.ci/run` installs it), as the gateway and the CLI use it. */
describe('the partner key Redis store', () => {
  let redis: RedisServer;
  let admin: OpenedKeyStore;
  let connection: RedisConnection;
  let clock = 0;
  let gateway: ApiKeyVerifier;

  beforeAll(async () => {
    redis = await startRedis();
    admin = await openKeyStore({ partnerKeysFile: 'unused.json', redisUrl: redis.url });
    connection = new RedisConnection(redis.url, 'auth-spec');
    await connection.waitUntilReady(3000);
    gateway = new ApiKeyVerifier(new RedisApiKeyStore(connection.client, { cacheTtlMs: 5000, now: () => clock }));
  });
  afterAll(async () => {
    await admin?.close();
    await connection?.close();
    await redis?.stop();
  });

  it('creates, lists (without hashes), verifies and revokes keys; revocation bites within the cache TTL', async () => {
    const { key, record } = await createKey(admin.store, { partnerId: 'acme', plan: 'gold' });
    expect(admin.where).toBe(`redis 127.0.0.1:${redis.port}`);
    expect(await verdict(gateway, key)).toEqual({ kind: 'partner', id: 'acme', roles: ['partner'], plan: 'gold', keyId: record.id });
    expect(await listKeys(admin.store)).toEqual([expect.objectContaining({ id: record.id, partnerId: 'acme', plan: 'gold', revokedAt: null })]);
    expect(JSON.stringify(await listKeys(admin.store))).not.toContain(record.sha256);
    expect(await revokeKey(admin.store, record.id)).toBe(true);
    clock += 4999;
    expect(await verdict(gateway, key)).toMatchObject({ id: 'acme' }); // still remembered: the documented bound
    clock += 1;
    expect(await verdict(gateway, key)).toBe('invalid');
    expect(await verdict(gateway, 'fd_live_unknownUNKNOWNunknownUNKNOWNunknown12')).toBe('invalid');
  });

  it('tells the guard\'s fast path (remembered) only what findByHash returned within the TTL, revocation included', async () => {
    const { key, record } = await createKey(admin.store, { partnerId: 'initech', plan: 'gold' });
    expect(gateway.remembered(key)).toBeUndefined(); // never looked up: not in memory, the strategy must ask Redis
    expect(await verdict(gateway, key)).toMatchObject({ id: 'initech' });
    expect(gateway.remembered(key)).toEqual({ kind: 'partner', id: 'initech', roles: ['partner'], plan: 'gold', keyId: record.id });
    expect(gateway.remembered(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(gateway.remembered('x')).toBeUndefined();
    await revokeKey(admin.store, record.id);
    clock += 5000; // the TTL: forgotten, so the next request goes to Redis and sees the revocation
    expect(gateway.remembered(key)).toBeUndefined();
    expect(await verdict(gateway, key)).toBe('invalid');
    expect(gateway.remembered(key)).toBeUndefined(); // a revoked record, even when found, is never accepted
  });

  it('a burst of requests with a key not in memory reads Redis once (no stampede), and each gets the partner', async () => {
    const { key } = await createKey(admin.store, { partnerId: 'globex', plan: 'free' });
    const store = new RedisApiKeyStore(connection.client, { cacheTtlMs: 5000, now: () => clock });
    const verifier = new ApiKeyVerifier(store);
    const reads = jest.spyOn(connection.client, 'get');
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => verdict(verifier, key)));
      expect(answers.every((a) => (a as { id?: string }).id === 'globex')).toBe(true);
      expect(reads).toHaveBeenCalledTimes(1);
      clock += 5001; // the entry expired: the next burst reads once again
      await Promise.all(Array.from({ length: 20 }, () => verdict(verifier, key)));
      expect(reads).toHaveBeenCalledTimes(2);
    } finally {
      reads.mockRestore();
    }
  });

  it('answers keys it remembers while Redis is down, unavailable (→ 503) for others, and recovers', async () => {
    const { key: known } = await createKey(admin.store, { partnerId: 'globex', plan: 'free' });
    const { key: other } = await createKey(admin.store, { partnerId: 'globex', plan: 'free' });
    expect(await verdict(gateway, known)).toMatchObject({ id: 'globex' });
    await redis.kill();
    expect(await verdict(gateway, known)).toMatchObject({ id: 'globex' });
    expect(await verdict(gateway, other)).toBe('unavailable');
    await redis.start(); // empty again: keys are gone with the data
    await connection.waitUntilReady(3000);
    for (let i = 0; i < 100 && !connection.ready; i++) await new Promise((r) => setTimeout(r, 20));
    clock += 5000;
    expect(await verdict(gateway, other)).toBe('invalid');
  });
});
