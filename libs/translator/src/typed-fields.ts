import { TranslationError } from './translation.errors';

// Decoded XML is all strings; these give a field its type explicitly, so an id or a bank account is never a number
// by accident and an amount never stays a string. JSON numbers are accepted where a number is expected.

const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const INTEGER = /^-?\d+$/;
// A double holds 15 significant decimal digits exactly; more would silently change an amount.
const MAX_SIGNIFICANT_DIGITS = 15;

function unfit(field: string, expected: string): TranslationError {
  return new TranslationError('malformed', { field, detail: `expected ${expected}` });
}

function significantDigits(decimal: string): number {
  const [whole = '', fraction = ''] = decimal.replace('-', '').split('.');
  return (whole + fraction.replace(/0+$/, '')).replace(/^0+/, '').length;
}

/**
 * A string field; a finite number is written with `String()` (JSON upstreams send ids as numbers too).
 * @throws TranslationError `'malformed'` naming `field` for anything else (objects, arrays, booleans, null, undefined).
 */
export function asString(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw unfit(field, 'a string');
}

/**
 * Like {@link asString}, but `undefined` and `null` (an absent element or key) give `undefined`. `''` (an empty
 * element) stays `''`.
 */
export function asOptionalString(value: unknown, field: string): string | undefined {
  return value === undefined || value === null ? undefined : asString(value, field);
}

/**
 * A decimal field: `'5234.50'` → 5234.5, `'-12'` → -12, a finite JSON number as is. Only plain decimal notation with
 * at most 15 significant digits: `''`, `'abc'`, `'1e5'`, `'0x1F'`, `'Infinity'`, `'.5'`, `' 5'` are refused.
 * @throws TranslationError `'malformed'` naming `field`.
 */
export function asDecimal(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && DECIMAL.test(value) && significantDigits(value) <= MAX_SIGNIFICANT_DIGITS) {
    return Number(value);
  }
  throw unfit(field, 'a decimal number');
}

/**
 * An integer field within ±(2^53 − 1): `'42'` → 42, a JSON integer as is. `'4.0'`, `'1e3'` and unsafe integers are
 * refused.
 * @throws TranslationError `'malformed'` naming `field`.
 */
export function asInteger(value: unknown, field: string): number {
  const n = typeof value === 'string' && INTEGER.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isSafeInteger(n)) return n === 0 ? 0 : n; // no -0
  throw unfit(field, 'an integer');
}

/**
 * A repeated XML element as an array: `undefined`, `null` and `''` (absent or empty) → `[]`, an array as is, a
 * single value → `[value]`. Needed because a decoded element is an array only when it occurs more than once.
 */
export function asArray<T = unknown>(value: unknown): T[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? (value as T[]) : [value as T];
}
