import { RedisConnection } from '@frontdoor/redis';
import { displayPrefix, generateApiKey, hashApiKey, isWellFormedApiKey, newKeyId } from './api-key';
import { isValidName, type ApiKeyStore, type StoredApiKey } from './api-key.store';
import { FileApiKeyStore } from './file-key.store';
import { RedisApiKeyStore } from './redis-key.store';

/*
 * Key administration, shared by the keys CLI (`npm run keys`, tools/keys) and the tests. The CLI loads this file
 * through @swc-node/register rather than a built bundle, so the store formats have exactly one implementation.
 */

/** Where keys live: Redis when `redisUrl` is set, else the JSON file. */
export interface KeyStoreLocation {
  readonly partnerKeysFile: string;
  readonly redisUrl?: URL;
}

export interface OpenedKeyStore {
  readonly store: ApiKeyStore;
  /** Human-readable, without credentials: `file var/partner-keys.json` or `redis 127.0.0.1:6379`. */
  readonly where: string;
  close(): Promise<void>;
}

/** Opens the store for administration. @throws Error when Redis cannot be reached within `timeoutMs` */
export async function openKeyStore(location: KeyStoreLocation, timeoutMs = 3000): Promise<OpenedKeyStore> {
  if (!location.redisUrl) {
    const store = new FileApiKeyStore({ path: location.partnerKeysFile });
    return { store, where: `file ${location.partnerKeysFile}`, close: () => store.close() };
  }
  const connection = new RedisConnection(location.redisUrl, 'keys-cli');
  if (!(await connection.waitUntilReady(timeoutMs))) {
    await connection.close();
    throw new Error(`Redis at ${location.redisUrl.host} is not reachable`);
  }
  return { store: new RedisApiKeyStore(connection.client), where: `redis ${location.redisUrl.host}`, close: () => connection.close() };
}

export interface CreateKeyRequest {
  readonly partnerId: string;
  readonly plan: string;
  /** Import this known key instead of generating one (used to seed the demo's published keys). */
  readonly key?: string;
  readonly now?: Date;
}

export interface CreatedKey {
  /** The key in clear: shown once, never stored. */
  readonly key: string;
  readonly record: StoredApiKey;
  /** An imported key that was already there for the same partner and plan (seeding is idempotent). */
  readonly existed: boolean;
}

/** @throws Error for an invalid partner, plan or imported key, or an imported key bound to another partner/plan */
export async function createKey(store: ApiKeyStore, request: CreateKeyRequest): Promise<CreatedKey> {
  const { partnerId, plan } = request;
  if (!isValidName(partnerId)) throw new Error('partner must be 1-64 characters of a-z, 0-9, - and _');
  if (!isValidName(plan)) throw new Error('plan must be 1-64 characters of a-z, 0-9, - and _');
  if (request.key !== undefined && !isWellFormedApiKey(request.key)) throw new Error('an imported key must be 32-256 characters of A-Z, a-z, 0-9, - and _');
  const key = request.key ?? generateApiKey();
  const sha256 = hashApiKey(key);
  const existing = await store.findByHash(sha256);
  if (existing) {
    if (existing.partnerId === partnerId && existing.plan === plan && existing.revokedAt === null) return { key, record: existing, existed: true };
    throw new Error(`this key is already stored as ${existing.id} (${existing.partnerId}, ${existing.plan}${existing.revokedAt ? ', revoked' : ''})`);
  }
  const record: StoredApiKey = {
    id: newKeyId(),
    sha256,
    prefix: displayPrefix(key),
    partnerId,
    plan,
    createdAt: (request.now ?? new Date()).toISOString(),
    revokedAt: null,
  };
  await store.add(record);
  return { key, record, existed: false };
}

/** What a listing may show of a key: never its hash (let alone the key). */
export interface KeyListing {
  readonly id: string;
  readonly partnerId: string;
  readonly plan: string;
  readonly prefix: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

export async function listKeys(store: ApiKeyStore): Promise<KeyListing[]> {
  return (await store.list()).map(({ id, partnerId, plan, prefix, createdAt, revokedAt }) => ({ id, partnerId, plan, prefix, createdAt, revokedAt }));
}

/** false when no key has this id. */
export function revokeKey(store: ApiKeyStore, id: string, now = new Date()): Promise<boolean> {
  return store.revoke(id, now);
}
