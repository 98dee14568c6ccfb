import { RedisConnection } from '@frontdoor/redis';
import { startRedis, type RedisServer } from '@frontdoor/testing';
import { isAuthFailure } from '../auth.errors';
import { hashApiKey } from './api-key';
import { ApiKeyVerifier } from './api-key.verifier';
import { createKey } from './key-admin';
import { RedisApiKeyStore, type RedisApiKeyStoreOptions } from './redis-key.store';

async function verdict(verifier: ApiKeyVerifier, key: unknown): Promise<unknown> {
  try {
    return await verifier.verify(key);
  } catch (error) {
    return isAuthFailure(error) ? error.kind : error;
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 250 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

/** Stale-if-error of the Redis key store, on a real redis-server killed (or paused) mid-test. */
describe('the partner key Redis store while Redis is away', () => {
  let redis: RedisServer;
  let admin: RedisConnection; // the CLI's side: creates keys, writes records directly
  let gateway: RedisConnection; // the gateway's connection, whose reads fail during the outage
  let adminStore: RedisApiKeyStore;
  let down = false;
  let clock = 1_000_000;

  const open = (options: RedisApiKeyStoreOptions = {}) => {
    const store = new RedisApiKeyStore(gateway.client, { cacheTtlMs: 5000, now: () => clock, ...options });
    return { store, verifier: new ApiKeyVerifier(store) };
  };
  const partner = (id: string) => expect.objectContaining({ kind: 'partner', id });
  const outage = async () => {
    down = true;
    await redis.kill();
    await until(() => !gateway.ready, 'the gateway connection to notice');
  };
  const recovery = async () => {
    await redis.start(); // empty again: the data is gone with the process
    down = false;
    await until(() => gateway.ready && admin.ready, 'both connections to reconnect');
  };

  beforeAll(async () => {
    redis = await startRedis();
    admin = new RedisConnection(redis.url, 'auth-outage-admin');
    gateway = new RedisConnection(redis.url, 'auth-outage-spec');
    await until(() => gateway.ready && admin.ready, 'both connections');
    adminStore = new RedisApiKeyStore(admin.client);
  });
  afterEach(async () => {
    if (down) await recovery();
  });
  afterAll(async () => {
    await admin?.close();
    await gateway?.close();
    await redis?.stop();
  });

  it('answers a key found before for staleIfErrorMs (default 5 min) past its TTL, and never a key it did not find', async () => {
    const { store, verifier } = open();
    const { key } = await createKey(adminStore, { partnerId: 'acme', plan: 'gold' });
    const { key: neverAsked } = await createKey(adminStore, { partnerId: 'acme', plan: 'gold' });
    expect(await verdict(verifier, key)).toEqual(partner('acme'));
    const foundAt = clock;
    await outage();
    clock = foundAt + 5000; // the fresh copy has expired
    expect(await verdict(verifier, key)).toEqual(partner('acme'));
    expect(await verdict(verifier, neverAsked)).toBe('unavailable'); // 503, not 401: it may well be valid
    expect(await verdict(verifier, 'fd_live_unknownUNKNOWNunknownUNKNOWNunknown12')).toBe('unavailable');
    clock = foundAt + 5000 + 300_000 - 1;
    expect(await verdict(verifier, key)).toEqual(partner('acme'));
    clock = foundAt + 5000 + 300_000;
    await expect(store.findByHash(hashApiKey(key))).rejects.toThrow();
    expect(await verdict(verifier, key)).toBe('unavailable');
  });

  it('never resurrects a key revoked through this store, nor one Redis no longer has', async () => {
    const { store, verifier } = open({ staleIfErrorMs: 60_000 });
    const { key: kept } = await createKey(adminStore, { partnerId: 'globex', plan: 'free' });
    const { key: revoked, record } = await createKey(adminStore, { partnerId: 'globex', plan: 'free' });
    const { key: deleted, record: deletedRecord } = await createKey(adminStore, {
      partnerId: 'globex',
      plan: 'free',
    });
    for (const key of [kept, revoked, deleted])
      expect(await verdict(verifier, key)).toEqual(partner('globex'));
    expect(await store.revoke(record.id, new Date())).toBe(true);
    await admin.client.del(`frontdoor:api-keys:hash:${deletedRecord.sha256}`);
    clock += 5000;
    expect(await verdict(verifier, deleted)).toBe('invalid'); // Redis answered "no such key"
    await outage();
    clock += 1000;
    expect(await verdict(verifier, kept)).toEqual(partner('globex'));
    expect(await verdict(verifier, revoked)).toBe('unavailable');
    expect(await verdict(verifier, deleted)).toBe('unavailable');
  });

  it('refuses, after the next successful read, a key revoked in Redis while this instance could not see it', async () => {
    const { verifier } = open();
    const { key, record } = await createKey(adminStore, { partnerId: 'initech', plan: 'gold' });
    const { key: wiped } = await createKey(adminStore, { partnerId: 'initech', plan: 'gold' });
    expect(await verdict(verifier, key)).toEqual(partner('initech'));
    expect(await verdict(verifier, wiped)).toEqual(partner('initech'));
    await outage();
    clock += 5000;
    expect(await verdict(verifier, key)).toEqual(partner('initech'));
    expect(await verdict(verifier, wiped)).toEqual(partner('initech'));
    await recovery();
    const revokedAt = new Date().toISOString();
    await admin.client.set(
      `frontdoor:api-keys:hash:${record.sha256}`,
      JSON.stringify({ ...record, revokedAt }),
    );
    clock += 1000; // past the retry back-off of the stale answers
    expect(await verdict(verifier, key)).toBe('invalid');
    expect(await verdict(verifier, wiped)).toBe('invalid'); // the restart lost it: gone from Redis
    await outage();
    clock += 5000;
    expect(await verdict(verifier, key)).toBe('invalid'); // the revoked record is what it remembers now
    expect(await verdict(verifier, wiped)).toBe('unavailable'); // not resurrected by the second outage
  });

  it("asks Redis nothing while the connection is down, answers the guard's fast path, and warns once per outage", async () => {
    const onServingStale = jest.fn();
    const { verifier } = open({ isReady: () => gateway.ready, onServingStale });
    const keys = await Promise.all(
      [1, 2, 3].map(() => createKey(adminStore, { partnerId: 'hooli', plan: 'free' })),
    );
    for (const { key } of keys) expect(await verdict(verifier, key)).toEqual(partner('hooli'));
    await outage();
    clock += 5000;
    const reads = jest.spyOn(gateway.client, 'get');
    try {
      for (let second = 0; second < 3; second++, clock += 1000) {
        for (const { key } of keys) {
          expect(await Promise.all([1, 2, 3].map(() => verdict(verifier, key)))).toEqual(
            Array(3).fill(partner('hooli')),
          );
          expect(verifier.remembered(key)).toEqual(partner('hooli'));
        }
      }
      expect(reads).not.toHaveBeenCalled();
      expect(onServingStale).toHaveBeenCalledTimes(1);
      await recovery();
      clock += 1000;
      expect(await verdict(verifier, keys[0].key)).toBe('invalid'); // a successful read (the restart lost the key)
      expect(reads).toHaveBeenCalledTimes(1);
      await outage();
      clock += 5000;
      expect(await verdict(verifier, keys[1].key)).toEqual(partner('hooli'));
      expect(onServingStale).toHaveBeenCalledTimes(2); // a new outage, a new warning
    } finally {
      reads.mockRestore();
    }
  });

  it('when Redis hangs (connected, not answering), reads each key at most once per second, the burst sharing it', async () => {
    const onServingStale = jest.fn();
    const { verifier } = open({ isReady: () => gateway.ready, onServingStale });
    const { key, record } = await createKey(adminStore, { partnerId: 'umbrella', plan: 'gold' });
    expect(await verdict(verifier, key)).toEqual(partner('umbrella'));
    clock += 5000;
    const reads = jest.spyOn(gateway.client, 'get');
    const pauser = new RedisConnection(redis.url, 'auth-outage-pauser');
    let paused = performance.now();
    // nobody can unpause (CLIENT UNPAUSE waits too): the test waits it out, also when it fails, for the next one
    const pauseOver = () => until(() => performance.now() - paused > 1600, 'the pause to end');
    try {
      await until(() => pauser.ready, 'the pausing connection');
      await pauser.client.call('CLIENT', 'PAUSE', '1500', 'ALL'); // every read now times out (200 ms)
      paused = performance.now();
      const burst = await Promise.all(Array.from({ length: 20 }, () => verdict(verifier, key)));
      expect(burst).toEqual(Array(20).fill(partner('umbrella')));
      expect(reads).toHaveBeenCalledTimes(1);
      expect(gateway.ready).toBe(true); // nothing tells the store but the failed read
      for (let i = 0; i < 20; i++) expect(await verdict(verifier, key)).toEqual(partner('umbrella'));
      expect(reads).toHaveBeenCalledTimes(1); // within the back-off: no read, so no timeout to wait for
      clock += 1000;
      expect(await verdict(verifier, key)).toEqual(partner('umbrella'));
      expect(reads).toHaveBeenCalledTimes(2);
      expect(onServingStale).toHaveBeenCalledTimes(1);
      await pauseOver();
      await admin.client.set(
        `frontdoor:api-keys:hash:${record.sha256}`,
        JSON.stringify({ ...record, plan: 'free' }),
      );
      clock += 1000;
      expect(await verdict(verifier, key)).toMatchObject({ id: 'umbrella', plan: 'free' }); // read again: fresh
      expect(reads).toHaveBeenCalledTimes(3);
    } finally {
      reads.mockRestore();
      await pauseOver();
      await pauser.close();
    }
  });

  it('keeps no more than cacheEntries keys, stale copies included', async () => {
    const { verifier } = open({ cacheEntries: 3 });
    const keys = [];
    for (let i = 0; i < 5; i++)
      keys.push((await createKey(adminStore, { partnerId: 'wayne', plan: 'free' })).key);
    for (const key of keys) expect(await verdict(verifier, key)).toEqual(partner('wayne'));
    await outage();
    clock += 5000;
    expect(await Promise.all(keys.map((key) => verdict(verifier, key)))).toEqual([
      'unavailable', // the two least recently used were evicted
      'unavailable',
      partner('wayne'),
      partner('wayne'),
      partner('wayne'),
    ]);
  });
});
