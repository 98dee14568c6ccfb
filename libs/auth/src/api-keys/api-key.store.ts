/** A usage plan name. Plan limits (requests per second/day) are configured elsewhere (`PARTNER_PLANS`). */
export type PlanName = string;

/** One partner API key as stored: never the key itself, only its SHA-256. */
export interface StoredApiKey {
  /** Public id (`key_3f9a…`): shown in listings and used to revoke. */
  readonly id: string;
  /** SHA-256 of the key, 64 lower-case hex characters: the lookup key. */
  readonly sha256: string;
  /** First 12 characters of the key, to recognise it in a listing. */
  readonly prefix: string;
  readonly partnerId: string;
  readonly plan: PlanName;
  /** ISO 8601. */
  readonly createdAt: string;
  /** ISO 8601 when revoked, else null. A revoked key is refused like an unknown one. */
  readonly revokedAt: string | null;
}

/**
 * Port: where partner API keys live. The JSON file store (default) and the Redis store (`REDIS_URL`) implement it,
 * and the keys CLI (`npm run keys`) works through it too, so there is one implementation of each storage format.
 */
export interface ApiKeyStore {
  /**
   * The key with this SHA-256, revoked or not; when the store cannot be read, a store may answer a key it found
   * before instead (the Redis store's `staleIfErrorMs`), never one it did not.
   * @throws Error when the store cannot be read right now and has no such answer (→ 503 at the door)
   */
  findByHash(sha256: string): Promise<StoredApiKey | undefined>;
  /**
   * The key with this SHA-256 when the store can tell without I/O (it is in memory and as fresh as `findByHash`
   * would return it); `undefined` means "ask `findByHash`". Optional: the guard's synchronous fast path.
   */
  peekByHash?(sha256: string): StoredApiKey | undefined;
  /** Every key, oldest first. */
  list(): Promise<StoredApiKey[]>;
  /** @throws Error when a key with the same id or hash exists */
  add(key: StoredApiKey): Promise<void>;
  /** Marks a key revoked; false when no key has this id. Idempotent. */
  revoke(id: string, at: Date): Promise<boolean>;
  close(): Promise<void>;
}

/** Injection token of the {@link ApiKeyStore} port. */
export const API_KEY_STORE = Symbol('ApiKeyStore');

const SHA256_HEX = /^[0-9a-f]{64}$/;
const ID = /^key_[0-9a-f]{12}$/;
const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Partner ids and plan names: lower-case letters, digits, `-` and `_`, 1–64 characters. */
export function isValidName(value: unknown): value is string {
  return typeof value === 'string' && NAME.test(value);
}

/**
 * Checks a record read from storage (a file edited by hand, a Redis value): the store must never serve a
 * half-valid key. @throws Error naming the field
 */
export function readStoredApiKey(value: unknown): StoredApiKey {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const fail = (field: string): never => {
    throw new Error(`invalid API key record: ${field}`);
  };
  const id = typeof v['id'] === 'string' && ID.test(v['id']) ? v['id'] : fail('id');
  const sha256 = typeof v['sha256'] === 'string' && SHA256_HEX.test(v['sha256']) ? v['sha256'] : fail('sha256');
  const prefix = typeof v['prefix'] === 'string' && v['prefix'].length <= 16 ? v['prefix'] : fail('prefix');
  const partnerId = isValidName(v['partnerId']) ? v['partnerId'] : fail('partnerId');
  const plan = isValidName(v['plan']) ? v['plan'] : fail('plan');
  const createdAt = typeof v['createdAt'] === 'string' ? v['createdAt'] : fail('createdAt');
  const revokedAt = v['revokedAt'] === null || v['revokedAt'] === undefined ? null : typeof v['revokedAt'] === 'string' ? v['revokedAt'] : fail('revokedAt');
  return Object.freeze({ id, sha256, prefix, partnerId, plan, createdAt, revokedAt });
}
