import { isTranslationError, TranslationError } from './translation.errors';

describe('TranslationError', () => {
  it.each<[string, unknown, boolean]>([
    ['a TranslationError', new TranslationError('malformed'), true],
    ['a branded copy from another module instance', Object.assign(new Error('x'), { [Symbol.for('frontdoor.translation')]: true }), true],
    ['a plain Error', new Error('malformed'), false],
    ['a look-alike without the brand', { name: 'TranslationError', failure: 'malformed' }, false],
    ['null', null, false],
    ['a string', 'malformed', false],
  ])('isTranslationError(%s) → %s', (_name, value, expected) => {
    expect(isTranslationError(value)).toBe(expected);
  });

  it.each<[TranslationError, string]>([
    [new TranslationError('doctype'), 'document type declarations are not allowed'],
    [new TranslationError('malformed', { detail: 'line 1, column 4' }), 'malformed input: line 1, column 4'],
    [new TranslationError('malformed', { field: 'salary.base', detail: 'expected a decimal number' }), 'malformed input (field "salary.base"): expected a decimal number'],
    [new TranslationError('unsupported-type'), 'unsupported media type'],
  ])('%#: message', (error, message) => {
    expect(error.message).toBe(message);
    expect(error.name).toBe('TranslationError');
    expect(error).toBeInstanceOf(Error);
  });
});
