import { parseMediaType } from './media-type';

describe('parseMediaType', () => {
  it.each<[string, ReturnType<typeof parseMediaType>]>([
    ['application/json', { type: 'application', subtype: 'json', params: [] }],
    ['Text/XML; Charset="ISO-8859-1"', { type: 'text', subtype: 'xml', params: [['charset', 'ISO-8859-1']] }],
    ['a/b; q=0.5; x="y\\"z"', { type: 'a', subtype: 'b', params: [['q', '0.5'], ['x', 'y"z']] }],
    ['a/b; junk; =v; ok=1', { type: 'a', subtype: 'b', params: [['ok', '1']] }],
    ['*/*', { type: '*', subtype: '*', params: [] }],
    ['json', undefined],
    ['', undefined],
    ['a/', undefined],
    ['a b/c', undefined],
    ['a/b/c', undefined],
  ])('%j', (value, expected) => {
    expect(parseMediaType(value)).toEqual(expected);
  });
});
