import { hash, timingSafeEqual } from 'node:crypto';
import { PARTNER_ROLE, type Principal } from '@frontdoor/rbac';
import { AuthFailure, invalid } from '../auth.errors';
import { isWellFormedApiKey } from './api-key';
import type { ApiKeyStore, StoredApiKey } from './api-key.store';

/** Derived once per stored record: its principal and its digest as bytes. */
interface Known {
  readonly principal: Principal;
  readonly digest: Buffer;
}

/**
 * Verifies a presented partner API key: well-formed, its SHA-256 found in the store, equal in constant time, not
 * revoked. The principal is a partner (role `partner`) with the key's plan and key id; one frozen object per stored
 * record, so downstream caches keyed by principal (the identity token signer) hit across requests.
 *
 * Cost for a known key: one SHA-256 of ~50 bytes (~1 µs) and a map lookup (the file store is in memory; the Redis store
 * remembers found keys for a few seconds) — a few microseconds, so no separate cache of verified keys is needed.
 */
export class ApiKeyVerifier {
  private readonly known = new WeakMap<StoredApiKey, Known>();

  constructor(private readonly store: ApiKeyStore) {}

  /**
   * @throws AuthFailure `invalid` (→ 401) for a malformed, unknown or revoked key; `unavailable` (→ 503) when the
   *   store cannot be read and the key is not in memory
   */
  async verify(presented: unknown): Promise<Principal> {
    if (!isWellFormedApiKey(presented)) throw invalid('malformed key');
    const sha256 = hash('sha256', presented, 'hex');
    let record: StoredApiKey | undefined;
    try {
      record = await this.store.findByHash(sha256);
    } catch (cause) {
      throw new AuthFailure('unavailable', 'the key store cannot be read', { cause });
    }
    if (record === undefined) throw invalid('unknown key');
    const known = this.accepted(record, sha256);
    if (known === undefined) throw invalid(record.revokedAt !== null ? 'revoked key' : 'unknown key');
    return known;
  }

  /**
   * The principal of a presented key the store holds in memory (`peekByHash`), accepted by the same checks as
   * `verify`; `undefined` for anything else (malformed, not in memory, unknown, revoked): `verify` decides those.
   */
  remembered(presented: unknown): Principal | undefined {
    if (this.store.peekByHash === undefined || !isWellFormedApiKey(presented)) return undefined;
    const sha256 = hash('sha256', presented, 'hex');
    const record = this.store.peekByHash(sha256);
    return record === undefined ? undefined : this.accepted(record, sha256);
  }

  // The lookup itself is by hash (a timing difference there reveals nothing about a 256-bit secret); the final
  // comparison is constant-time anyway, so no code path compares secret-derived bytes with an early exit.
  private accepted(record: StoredApiKey, sha256: string): Principal | undefined {
    const known = this.knownOf(record);
    if (!timingSafeEqual(known.digest, Buffer.from(sha256, 'hex'))) return undefined;
    if (record.revokedAt !== null) return undefined;
    return known.principal;
  }

  private knownOf(record: StoredApiKey): Known {
    let known = this.known.get(record);
    if (!known) {
      const principal: Principal = Object.freeze({
        kind: 'partner',
        id: record.partnerId,
        roles: Object.freeze([PARTNER_ROLE]),
        plan: record.plan,
        keyId: record.id,
      });
      known = { principal, digest: Buffer.from(record.sha256, 'hex') };
      this.known.set(record, known);
    }
    return known;
  }
}
