import { API_KEY_PREFIX, displayPrefix, generateApiKey, hashApiKey, isWellFormedApiKey, newKeyId } from './api-key';
import { readStoredApiKey } from './api-key.store';

describe('API keys', () => {
  it('are random, prefixed, 256 bits of base64url, and shown once as a 12-character prefix', () => {
    const keys = Array.from({ length: 100 }, generateApiKey);
    expect(new Set(keys).size).toBe(100);
    for (const key of keys) {
      expect(key).toMatch(/^fd_live_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key.slice(API_KEY_PREFIX.length), 'base64url')).toHaveLength(32);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
    expect(displayPrefix('fd_live_AbCdEfGh')).toBe('fd_live_AbCd');
    expect(newKeyId()).toMatch(/^key_[0-9a-f]{12}$/);
  });

  it('are stored as their SHA-256', () => {
    expect(hashApiKey('fd_demo_acme_Q7mV2xK9pL4tRz8NwC3yHb6JdF5sGa1E')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey('a')).toBe('ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb');
  });

  it.each([
    ['too short', 'fd_live_short'],
    ['too long', `fd_live_${'a'.repeat(300)}`],
    ['a space', 'fd_live_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa a'],
    ['a comma (a repeated header)', 'fd_live_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, fd_live_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'],
    ['an array', ['fd_live_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']],
    ['undefined', undefined],
  ])('%s is not a well-formed key', (_label, value) => {
    expect(isWellFormedApiKey(value)).toBe(false);
  });

  const record = { id: 'key_0123456789ab', sha256: 'a'.repeat(64), prefix: 'fd_live_AbCd', partnerId: 'acme', plan: 'gold', createdAt: '2024-01-01T00:00:00.000Z', revokedAt: null };
  it.each([
    ['id', { ...record, id: 'nope' }],
    ['sha256', { ...record, sha256: 'A'.repeat(64) }],
    ['partnerId', { ...record, partnerId: 'Acme Corp' }],
    ['plan', { ...record, plan: '' }],
    ['revokedAt', { ...record, revokedAt: 5 }],
  ])('a stored record with a bad %s is refused', (field, value) => {
    expect(() => readStoredApiKey(value)).toThrow(`invalid API key record: ${field}`);
  });
});
