import { asArray, asDecimal, asInteger, asOptionalString, asString } from './typed-fields';
import { isTranslationError } from './translation.errors';

function outcome(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    return isTranslationError(error) ? `${error.failure}:${error.field ?? ''}` : 'other';
  }
}

describe('asString', () => {
  it.each<[unknown, unknown]>([
    ['0012345678', '0012345678'],
    ['', ''],
    [42, '42'],
    [5234.5, '5234.5'],
    [Number.NaN, 'malformed:f'],
    [true, 'malformed:f'],
    [null, 'malformed:f'],
    [undefined, 'malformed:f'],
    [{ a: '1' }, 'malformed:f'],
    [['a'], 'malformed:f'],
  ])('%j → %j', (value, expected) => {
    expect(outcome(() => asString(value, 'f'))).toBe(expected);
  });
});

describe('asOptionalString', () => {
  it.each<[unknown, unknown]>([
    [undefined, undefined],
    [null, undefined],
    ['', ''],
    ['x', 'x'],
    [7, '7'],
    [{}, 'malformed:f'],
  ])('%j → %j', (value, expected) => {
    expect(outcome(() => asOptionalString(value, 'f'))).toBe(expected);
  });
});

describe('asDecimal', () => {
  it.each<[unknown, unknown]>([
    ['5234.50', 5234.5],
    ['0', 0],
    ['-12', -12],
    ['-0.05', -0.05],
    ['007.50', 7.5],
    ['123456789012.345', 123456789012.345],
    ['1.000000000000000000', 1],
    [5234.5, 5234.5],
    ['', 'malformed:salary.base'],
    ['abc', 'malformed:salary.base'],
    ['1e5', 'malformed:salary.base'],
    ['0x1F', 'malformed:salary.base'],
    ['Infinity', 'malformed:salary.base'],
    [Infinity, 'malformed:salary.base'],
    [Number.NaN, 'malformed:salary.base'],
    ['.5', 'malformed:salary.base'],
    ['5.', 'malformed:salary.base'],
    ['+5', 'malformed:salary.base'],
    [' 5', 'malformed:salary.base'],
    ['1,5', 'malformed:salary.base'],
    ['1234567890123456', 'malformed:salary.base'],
    [undefined, 'malformed:salary.base'],
    [{}, 'malformed:salary.base'],
  ])('%j → %j', (value, expected) => {
    expect(outcome(() => asDecimal(value, 'salary.base'))).toBe(expected);
  });
});

describe('asInteger', () => {
  it.each<[unknown, unknown]>([
    ['42', 42],
    ['-7', -7],
    ['-0', 0],
    ['0012', 12],
    [42, 42],
    ['9007199254740991', 9007199254740991],
    ['9007199254740992', 'malformed:n'],
    ['4.0', 'malformed:n'],
    [4.5, 'malformed:n'],
    ['1e3', 'malformed:n'],
    ['', 'malformed:n'],
    ['0x10', 'malformed:n'],
    [null, 'malformed:n'],
  ])('%j → %j', (value, expected) => {
    expect(outcome(() => asInteger(value, 'n'))).toBe(expected);
  });
});

describe('asArray', () => {
  it.each<[unknown, unknown[]]>([
    [undefined, []],
    [null, []],
    ['', []],
    ['a', ['a']],
    [{ a: '1' }, [{ a: '1' }]],
    [['a', 'b'], ['a', 'b']],
    [[], []],
    [0, [0]],
  ])('%j → %j', (value, expected) => {
    expect(asArray(value)).toEqual(expected);
  });

  it('returns the same array', () => {
    const list = ['a'];
    expect(asArray(list)).toBe(list);
  });
});
