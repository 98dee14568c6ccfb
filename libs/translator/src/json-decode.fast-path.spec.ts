import { decodeJson, decodeJsonText } from './json-decode';
import { isTranslationError, type TranslationFailure } from './translation.errors';

// decodeJsonText skips its character scan when native searches prove the scan cannot refuse anything: no 'proto',
// no 'uctor', no `\u005X`..`\u007X` escape, and at most maxDepth of `[` and `{`. These cases sit on both sides of
// each of those checks, so a check that lets through what the scan refuses fails here.

function outcomeOf(run: () => unknown): TranslationFailure | 'none' | 'other' {
  try {
    run();
    return 'none';
  } catch (error) {
    return isTranslationError(error) ? error.failure : 'other';
  }
}

const nestedArrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const nestedObjects = (depth: number): string => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
const escaped = (key: string): string => [...key].map((c) => `\\u00${c.charCodeAt(0).toString(16)}`).join('');

describe('decodeJsonText refuses what the scan refuses, fast path or not', () => {
  it.each<[string, string, number, TranslationFailure | 'none']>([
    // unsafe keys as written
    ['a __proto__ key', '{"__proto__":1}', 64, 'unsafe-name'],
    ['a constructor key', '{"constructor":1}', 64, 'unsafe-name'],
    ['a prototype key', '{"prototype":1}', 64, 'unsafe-name'],
    ['a constructor key one level down', '{"a":{"constructor":{}}}', 64, 'unsafe-name'],
    ['a prototype key inside an array', '[1,{"b":[{"prototype":2}]}]', 64, 'unsafe-name'],
    // unsafe keys spelt with escapes: the letters and '_' are \u005F..\u0079, upper- or lower-case hex
    ['an escaped _ in __proto__', '{"\\u005f_proto__":1}', 64, 'unsafe-name'],
    ['an escaped _ in upper-case hex', '{"_\\u005Fproto__":1}', 64, 'unsafe-name'],
    ['an escaped c in constructor', '{"\\u0063onstructor":1}', 64, 'unsafe-name'],
    ['an escaped y in prototype', '{"protot\\u0079pe":1}', 64, 'unsafe-name'],
    ['an escaped o that breaks up "proto"', '{"__pr\\u006fto__":1}', 64, 'unsafe-name'],
    ['an escaped t that breaks up "proto"', '{"pro\\u0074otype":1}', 64, 'unsafe-name'],
    ['an escaped u that breaks up "uctor"', '{"constr\\u0075ctor":1}', 64, 'unsafe-name'],
    ['a fully escaped constructor', `{"${escaped('constructor')}":1}`, 64, 'unsafe-name'],
    ['an escaped key behind a BOM', '\uFEFF{"\\u0070rototype":1}', 64, 'unsafe-name'],
    ['a __proto__ key behind a BOM', '\uFEFF{"__proto__":1}', 64, 'unsafe-name'],
    // depth at the limit and one past it (maxDepth counts `[]` as 1)
    ['arrays at maxDepth', nestedArrays(3), 3, 'none'],
    ['arrays past maxDepth', nestedArrays(4), 3, 'too-deep'],
    ['objects at maxDepth', nestedObjects(3), 3, 'none'],
    ['objects past maxDepth', nestedObjects(4), 3, 'too-deep'],
    ['objects at the default 64', nestedObjects(64), 64, 'none'],
    ['objects past the default 64', nestedObjects(65), 64, 'too-deep'],
    ['arrays and objects mixed past maxDepth', '{"a":[{"b":[1]}]}', 3, 'too-deep'],
    ['maxDepth 0 and a scalar', '1', 0, 'none'],
    ['maxDepth 0 and an empty array', '[]', 0, 'too-deep'],
    ['siblings: many brackets, little depth', `[${'[1],'.repeat(100)}[2]]`, 2, 'none'],
    ['siblings with one branch too deep', `[${'[1],'.repeat(100)}[[2]]]`, 2, 'too-deep'],
    // brackets inside strings: not nesting, but counted by the cheap bound, so the scan must decide
    ['closing brackets in a string before real nesting', '{"s":"}}}}]]]]","a":[[[1]]]}', 3, 'too-deep'],
    ['closing brackets in a string, depth at maxDepth', '{"s":"}}}}]]]]","a":[[1]]}', 3, 'none'],
    ['an escaped quote hiding brackets', '{"s":"\\"}}]]","a":[[[1]]]}', 3, 'too-deep'],
    ['an escaped quote, depth at maxDepth', '{"s":"\\"[[[[","a":[[1]]}', 3, 'none'],
    ['opening brackets only in strings', '{"a":"[[[[{{{{","b":"{{{{"}', 1, 'none'],
    // order: whatever comes first in the text wins, as before the fast path
    ['an unsafe key before too-deep nesting', '{"__proto__":[[[[1]]]]}', 2, 'unsafe-name'],
    ['too-deep nesting before an unsafe key', '[[[{"__proto__":1}]]]', 2, 'too-deep'],
    // malformed text still reaches JSON.parse, unless the scan refuses it first
    ['an unclosed object', '{"a":1', 64, 'malformed'],
    ['a missing value', '{"a":}', 64, 'malformed'],
    ['a trailing comma behind a BOM', '\uFEFF[1,]', 64, 'malformed'],
    ['an unterminated string', '{"a":"x', 64, 'malformed'],
    ['unclosed arrays past maxDepth', '[[[[', 3, 'too-deep'],
    ['an unsafe key in truncated text', '{"constructor":', 64, 'unsafe-name'],
    ['an invalid escape in a key', '{"\\u005g_proto__":1}', 64, 'malformed'],
  ])('%s', (_name, text, maxDepth, expected) => {
    expect(outcomeOf(() => decodeJsonText(text, maxDepth))).toBe(expected);
  });
});

describe('decodeJsonText decodes what only looks unsafe', () => {
  it.each<[string, string, unknown]>([
    [
      'constructor only in string values',
      '{"title":"Site constructor","tags":["constructor"]}',
      { title: 'Site constructor', tags: ['constructor'] },
    ],
    [
      'proto as part of other words',
      '{"protocol":"https","prototypeId":7}',
      { protocol: 'https', prototypeId: 7 },
    ],
    [
      'non-ASCII escapes (no letter or _ among them)',
      '{"caf\\u00e9":"\\u00c9t\\u00e9 \\u20ac"}',
      { café: 'Été €' },
    ],
    [
      'escaped slashes and quotes',
      '{"url":"https:\\/\\/cdn.example.com\\/a.jpg","q":"\\"x\\""}',
      { url: 'https://cdn.example.com/a.jpg', q: '"x"' },
    ],
    ['an escaped constructor as a value', '{"a":"\\u0063onstructor"}', { a: 'constructor' }],
    ['an escaped backslash before u005f (no escape)', '{"a":"\\\\u005f"}', { a: '\\u005f' }],
    ['a BOM before a plain object', '\uFEFF{"a":[1,2],"b":{"c":null}}', { a: [1, 2], b: { c: null } }],
  ])('%s', (_name, text, expected) => {
    expect(decodeJsonText(text, 64)).toEqual(expected);
  });

  it('decodes an ordinary body through decodeJson (the fast path)', () => {
    const employee = {
      id: 'emp-10007',
      name: 'Jordan Example',
      email: 'jordan.example@corp.example.com',
      department: 'Platform Engineering',
      manager: { id: 'emp-00042', name: 'Alex Manager' },
      skills: ['typescript', 'node.js'],
      address: { street: 'Keizersgracht 123', city: 'Amsterdam' },
    };
    expect(decodeJson(JSON.stringify(employee))).toEqual(employee);
  });
});
