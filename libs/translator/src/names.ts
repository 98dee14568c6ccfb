import { TranslationError } from './translation.errors';

/**
 * Keys that change an object's prototype or constructor when they reach a naive merge (`Object.assign`, deep-merge
 * helpers). They are refused in both directions and in both formats, so decoded data never carries them.
 */
export const UNSAFE_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

export function isUnsafeKey(key: string): boolean {
  return (key.length === 9 || key.length === 11) && (key === '__proto__' || key === 'constructor' || key === 'prototype');
}

// XML 1.0 (5th ed.) NameStartChar / NameChar without ':' (an NCName): a prefix would need a namespace declaration.
const NAME_START = 'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D' +
  '\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u203F-\\u2040`;
// Combining marks (also NameChars) get a class of their own: after another character they would read as one glyph.
const NCNAME = new RegExp(`^[${NAME_START}](?:[${NAME_CHAR}]|[\\u0300-\\u036F])*$`, 'u');
const RESERVED_PREFIX = /^xml/i;

/** Whether `name` may be written as an element name: an NCName, not reserved (`xml…`), not a prototype key. */
export function isSafeElementName(name: string): boolean {
  return NCNAME.test(name) && !RESERVED_PREFIX.test(name) && !isUnsafeKey(name);
}

export function assertSafeElementName(name: string): void {
  if (!isSafeElementName(name)) throw new TranslationError('unsafe-name');
}
