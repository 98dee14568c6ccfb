import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAuthFailure } from '../auth.errors';
import { ApiKeyVerifier } from './api-key.verifier';
import { FileApiKeyStore } from './file-key.store';
import { createKey, listKeys, revokeKey } from './key-admin';

async function verdict(verifier: ApiKeyVerifier, key: unknown): Promise<unknown> {
  try {
    return await verifier.verify(key);
  } catch (error) {
    return isAuthFailure(error) ? error.kind : error;
  }
}

describe('the partner key file store', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'frontdoor-keys-'));
    path = join(dir, 'var', 'partner-keys.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('treats a missing file as an empty store', async () => {
    const store = new FileApiKeyStore({ path });
    expect(await store.findByHash('a'.repeat(64))).toBeUndefined();
    expect(await listKeys(store)).toEqual([]);
  });

  it('stores only hashes (mode 0600) and verifies created keys as partner principals with their plan', async () => {
    const admin = new FileApiKeyStore({ path });
    const { key, record } = await createKey(admin, { partnerId: 'acme', plan: 'gold' });
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(key);
    expect(text).toContain(record.sha256);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const verifier = new ApiKeyVerifier(new FileApiKeyStore({ path }));
    expect(await verdict(verifier, key)).toEqual({ kind: 'partner', id: 'acme', roles: ['partner'], plan: 'gold', keyId: record.id });
    expect(await verifier.verify(key)).toBe(await verifier.verify(key)); // one principal per stored key
  });

  it.each([
    ['a wrong key', 'fd_live_WRONGwrongWRONGwrongWRONGwrongWRONGwrong12'],
    ['a malformed key', 'short'],
    ['a repeated header', 'fd_live_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, fd_live_bbb'],
    ['no key', undefined],
  ])('refuses %s as invalid', async (_label, presented) => {
    const store = new FileApiKeyStore({ path });
    await createKey(store, { partnerId: 'acme', plan: 'gold' });
    expect(await verdict(new ApiKeyVerifier(store), presented)).toBe('invalid');
  });

  it('reloads a changed file at most once per check interval: new keys work, revoked keys stop, without restart', async () => {
    let clock = 0;
    const gateway = new ApiKeyVerifier(new FileApiKeyStore({ path, checkIntervalMs: 1000, now: () => clock }));
    const cli = new FileApiKeyStore({ path });
    const { key, record } = await createKey(cli, { partnerId: 'globex', plan: 'free' });
    expect(await verdict(gateway, key)).toBe('invalid'); // the gateway has not looked at the file yet
    clock += 1000;
    expect(await verdict(gateway, key)).toMatchObject({ id: 'globex', plan: 'free' });
    expect(await revokeKey(cli, record.id)).toBe(true);
    clock += 999;
    expect(await verdict(gateway, key)).toMatchObject({ id: 'globex' }); // within the interval: not re-read
    clock += 1;
    expect(await verdict(gateway, key)).toBe('invalid');
    expect(await revokeKey(cli, 'key_000000000000')).toBe(false);
  });

  it('keeps serving the keys it has when the file turns unreadable, and refuses a malformed file at start', async () => {
    const cli = new FileApiKeyStore({ path });
    const { key } = await createKey(cli, { partnerId: 'acme', plan: 'gold' });
    const errors: Error[] = [];
    const gateway = new ApiKeyVerifier(new FileApiKeyStore({ path, checkIntervalMs: 0, onReloadError: (e) => errors.push(e) }));
    writeFileSync(path, '{"version": 1, "keys": [{"id": "broken"}]}');
    expect(await verdict(gateway, key)).toMatchObject({ id: 'acme' });
    expect(errors[0]?.message).toMatch(/entry 0: invalid API key record: id/);
    expect(() => new FileApiKeyStore({ path })).toThrow(`partner key file ${path}: entry 0`);
    writeFileSync(path, 'not json');
    expect(() => new FileApiKeyStore({ path })).toThrow(`partner key file ${path} is not valid JSON`);
  });

  it('imports a known key once (idempotent seeding) and refuses to rebind it', async () => {
    const store = new FileApiKeyStore({ path });
    const demo = 'fd_demo_acme_Q7mV2xK9pL4tRz8NwC3yHb6JdF5sGa1E';
    const first = await createKey(store, { partnerId: 'acme', plan: 'gold', key: demo });
    const again = await createKey(store, { partnerId: 'acme', plan: 'gold', key: demo });
    expect(again).toMatchObject({ existed: true, record: { id: first.record.id } });
    await expect(createKey(store, { partnerId: 'globex', plan: 'gold', key: demo })).rejects.toThrow(`already stored as ${first.record.id}`);
    await expect(createKey(store, { partnerId: 'Acme!', plan: 'gold' })).rejects.toThrow('partner must be');
    await expect(createKey(store, { partnerId: 'acme', plan: 'gold', key: 'short' })).rejects.toThrow('an imported key must be');
    const listing = await listKeys(store);
    expect(listing).toEqual([{ id: first.record.id, partnerId: 'acme', plan: 'gold', prefix: 'fd_demo_acme', createdAt: expect.any(String), revokedAt: null }]);
    expect(JSON.stringify(listing)).not.toMatch(/[0-9a-f]{64}|Q7mV2x/);
  });
});
