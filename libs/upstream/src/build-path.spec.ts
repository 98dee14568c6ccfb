import { isProblemError } from '@frontdoor/errors';
import { buildPath } from './build-path';

describe('buildPath', () => {
  it.each([
    ['a normal id', '/employees/:id', { id: 'E0001' }, '/employees/E0001'],
    ['a number', '/orders/:id/items/:n', { id: 'O-1', n: 3 }, '/orders/O-1/items/3'],
    [
      'unicode, encoded',
      '/customers/:name',
      { name: 'Zoë 東京' },
      '/customers/Zo%C3%AB%20%E6%9D%B1%E4%BA%AC',
    ],
    ['reserved characters, encoded', '/search/:q', { q: 'a?b#c&d;e' }, '/search/a%3Fb%23c%26d%3Be'],
    ['dots inside a value', '/files/:name', { name: 'a..b' }, '/files/a..b'],
    ['no params', '/health', undefined, '/health'],
    ['extra params are ignored', '/products', { sku: 'x' }, '/products'],
  ])('builds %s', (_label, template, params, expected) => {
    expect(buildPath(template, params)).toBe(expected);
  });

  it.each([
    ['traversal ..', '..'],
    ['current directory .', '.'],
    ['%2e%2e already decoded to ..', decodeURIComponent('%2e%2e')],
    ['a second encoding layer (%2e%2e)', '%2e%2e'],
    ['an encoded slash left over (%2f)', 'a%2fb'],
    ['a slash', '../payroll/1'],
    ['a slash inside', 'a/b'],
    ['a backslash', '..\\payroll'],
    ['NUL', 'E1\u0000'],
    ['CR LF', 'E1\r\nX-Injected: 1'],
    ['DEL', 'E1\u007f'],
    ['empty', ''],
    ['a lone surrogate', '\ud800'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('refuses %s with 400 invalid-path naming the parameter only', (_label, value) => {
    let error: unknown;
    try {
      buildPath('/employees/:id', { id: value });
    } catch (e) {
      error = e;
    }
    expect(isProblemError(error)).toBe(true);
    expect(error).toMatchObject({ slug: 'invalid-path', status: 400, detail: 'invalid path parameter id' });
  });

  it.each([
    ['a param without a value', '/employees/:id', {}],
    ['a relative template', 'employees/:id', { id: 'x' }],
    ['a protocol-relative template', '//evil/:id', { id: 'x' }],
  ])('treats %s as a programming error (plain Error)', (_label, template, params) => {
    let error: unknown;
    try {
      buildPath(template, params);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(isProblemError(error)).toBe(false);
  });
});
