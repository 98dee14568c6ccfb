import { appendQuery } from './query-string';

describe('appendQuery', () => {
  it.each([
    ['no query', '/p', undefined, '/p'],
    ['an empty query', '/p', {}, '/p'],
    ['only undefined values', '/p', { a: undefined }, '/p'],
    ['strings, numbers and booleans', '/p', { q: 'x', n: 3, f: true, g: false }, '/p?q=x&n=3&f=true&g=false'],
    ['undefined skipped in the middle', '/p', { a: '1', b: undefined, c: '2' }, '/p?a=1&c=2'],
    ['reserved characters encoded', '/p', { q: 'a b&c=d/e?#%' }, '/p?q=a%20b%26c%3Dd%2Fe%3F%23%25'],
    ['names encoded too', '/p', { 'a&b': '1' }, '/p?a%26b=1'],
    ['unicode', '/p', { name: 'Zoë' }, '/p?name=Zo%C3%AB'],
    ['a path that already has a query', '/p?x=1', { y: 2 }, '/p?x=1&y=2'],
  ])('%s', (_label, path, query, expected) => {
    expect(appendQuery(path, query)).toBe(expected);
  });
});
