import { CUSTOMER_COUNT } from './customers.seed';
import { sequenceId } from './seed';

/**
 * The demo's link between a signed-in user (the token `sub`) and a customer account: every subject is linked to
 * exactly one seeded customer, chosen by a stable hash (FNV-1a, 32 bit) of the subject, so the same user always sees
 * the same account on every start and every instance. Demo only: a real estate stores this link (or the IdP puts a
 * customer id claim in the token); several subjects may share one demo customer.
 */
export function customerIdOfSubject(subject: string): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(subject, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return sequenceId('C', (hash % CUSTOMER_COUNT) + 1, 4);
}
