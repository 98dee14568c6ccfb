import { decodeJson } from './json-decode';
import { isTranslationError, type TranslationFailure } from './translation.errors';

function failureOf(run: () => unknown): TranslationFailure | 'none' | 'other' {
  try {
    run();
    return 'none';
  } catch (error) {
    return isTranslationError(error) ? error.failure : 'other';
  }
}

const deepArray = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('decodeJson refuses', () => {
  it.each<[string, TranslationFailure, string, { maxDepth?: number; maxBytes?: number }?]>([
    ['an unclosed object', 'malformed', '{"a":1'],
    ['the empty string', 'malformed', ''],
    ['garbage', 'malformed', 'abc'],
    ['a trailing comma', 'malformed', '{"a":1,}'],
    ['single quotes', 'malformed', "{'a':1}"],
    ['200k unclosed [ (no RangeError)', 'too-deep', '['.repeat(200_000)],
    ['200k nested arrays (no RangeError)', 'too-deep', deepArray(200_000)],
    ['65 levels by default', 'too-deep', deepArray(65)],
    ['nested objects past maxDepth', 'too-deep', '{"a":{"a":{"a":1}}}', { maxDepth: 2 }],
    ['a body over maxBytes', 'too-large', `"${'x'.repeat(100)}"`, { maxBytes: 100 }],
    ['multi-byte text over maxBytes in UTF-8', 'too-large', `"${'€'.repeat(40)}"`, { maxBytes: 100 }],
    ['a __proto__ key', 'unsafe-name', '{"__proto__": {"polluted": 1}}'],
    ['a nested __proto__ key', 'unsafe-name', '{"a": [{"__proto__": {"polluted": 1}}]}'],
    ['an escaped __proto__ key', 'unsafe-name', '{"\\u005f\\u005fproto\\u005f\\u005f": {"polluted": 1}}'],
    ['a constructor.prototype chain', 'unsafe-name', '{"constructor": {"prototype": {"polluted": 1}}}'],
    ['a prototype key before whitespace and colon', 'unsafe-name', '{"prototype" \n : 1}'],
  ])('%s → %s', (_name, failure, json, limits = {}) => {
    expect(failureOf(() => decodeJson(json, limits))).toBe(failure);
  });

  it('never pollutes Object.prototype', () => {
    failureOf(() => decodeJson('{"__proto__": {"polluted": 1}}'));
    failureOf(() => decodeJson('{"constructor": {"prototype": {"polluted": 1}}}'));
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('never echoes the input in its message', () => {
    try {
      decodeJson('{"token": SECRET-9876}');
      throw new Error('expected a TranslationError');
    } catch (error) {
      expect(isTranslationError(error)).toBe(true);
      expect((error as Error).message).not.toMatch(/SECRET/);
    }
  });
});

describe('decodeJson decodes', () => {
  it.each<[string, string, unknown, { maxDepth?: number; maxBytes?: number }?]>([
    ['an object', '{"a":1,"b":"x","c":[true,null]}', { a: 1, b: 'x', c: [true, null] }],
    ['a scalar', '42', 42],
    ['a BOM before the text', '\uFEFF{"a":1}', { a: 1 }],
    ['brackets inside strings (not nesting)', '{"a":"[[[[{{{{"}', { a: '[[[[{{{{' }, { maxDepth: 1 }],
    ['escaped quotes and backslashes', '{"a":"x\\"[\\\\","b":"]"}', { a: 'x"[\\', b: ']' }, { maxDepth: 1 }],
    ['64 levels by default', deepArray(64), JSON.parse(deepArray(64)) as unknown],
    ['unsafe names as values', '{"a":"__proto__","b":["constructor"],"c":"prototype"}', { a: '__proto__', b: ['constructor'], c: 'prototype' }],
    ['look-alike keys', '{"__proto":1,"constructors":2,"Prototype":3}', { __proto: 1, constructors: 2, Prototype: 3 }],
    ['exactly maxBytes of UTF-8', `"${'€'.repeat(10)}"`, '€'.repeat(10), { maxBytes: 32 }],
  ])('%s', (_name, json, expected, limits = {}) => {
    expect(decodeJson(json, limits)).toEqual(expected);
  });
});
