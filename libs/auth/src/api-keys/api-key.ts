import { hash, randomBytes } from 'node:crypto';

/** Prefix of keys this gateway issues; demo keys (`fd_demo_…`) are imported, not issued. */
export const API_KEY_PREFIX = 'fd_live_';
/** Bytes of randomness in an issued key: 256 bits. */
export const API_KEY_ENTROPY_BYTES = 32;

// base64url and underscores; 32–256 characters. Anything else is refused before it is hashed.
const WELL_FORMED = /^[A-Za-z0-9_-]{32,256}$/;

/** Whether `value` could be a key at all (cheap; bounds the work an attacker can make us do). */
export function isWellFormedApiKey(value: unknown): value is string {
  return typeof value === 'string' && WELL_FORMED.test(value);
}

/** A new key: `fd_live_` + 32 random bytes, base64url (43 characters). Shown once; only its hash is stored. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(API_KEY_ENTROPY_BYTES).toString('base64url');
}

/**
 * SHA-256 of the key, hex. A fast hash is right here, unlike for passwords: a key carries 256 bits of entropy, so a
 * stolen hash cannot be brute-forced and a slow KDF (bcrypt, scrypt, argon2) would only cost every request time.
 */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/** A public, random key id (`key_` + 12 hex): what lists, logs and rate limits name, never the key or its hash. */
export function newKeyId(): string {
  return `key_${randomBytes(6).toString('hex')}`;
}

/** What a listing shows of a key: its first 12 characters (`fd_live_AbCd`), enough to recognise it, useless to use. */
export function displayPrefix(key: string): string {
  return key.slice(0, 12);
}
