import { findPathProblem, findTargetProblem, originFormOf } from './path-hygiene';

describe('findPathProblem', () => {
  it.each([
    ['/api/products', undefined],
    ['/api/products/SKU-00001', undefined],
    ['/api/products?q=a%2Fb&x=..', undefined],
    ['/api/employees/E0001', undefined],
    ['/api/products/caf%C3%A9', undefined],
    ['/api/products/', undefined],
    ['/v1/orders/O-00001', undefined],
    ['/api/a..b/file.json', undefined],
  ])('accepts %s', (url, expected) => {
    expect(findPathProblem(url)).toBe(expected);
  });

  it.each([
    ['/api/inventory/../payroll/E0001', 'dot segments are not allowed'],
    ['/api/inventory/./products', 'dot segments are not allowed'],
    ['/api/inventory/%2e%2e/payroll', 'dot segments are not allowed'],
    ['/api/inventory/%2E%2E/payroll', 'dot segments are not allowed'],
    ['/api/inventory/..;/payroll', 'dot segments are not allowed'],
    ['/api/inventory/..', 'dot segments are not allowed'],
    ['/api/inventory/a%2fb', 'a path segment contains a forbidden character'],
    ['/api/inventory/a%2Fb', 'a path segment contains a forbidden character'],
    ['/api/inventory/a%5cb', 'a path segment contains a forbidden character'],
    ['/api/inventory/a\\b', 'a path segment contains a forbidden character'],
    ['/api/inventory/a%00b', 'a path segment contains a forbidden character'],
    ['/api/inventory/%252e%252e', 'a path segment contains a forbidden character'],
    ['/api/inventory/%2', 'the path has an invalid percent-encoding'],
    ['/api/inventory/%ff', 'the path has an invalid percent-encoding'],
    ['/api//inventory', 'empty path segments are not allowed'],
    ['//evil.example/x', 'empty path segments are not allowed'],
    ['/api/a%0d%0aX-Injected:%201', 'a path segment contains a forbidden character'],
  ])('refuses %s: %s', (url, reason) => {
    expect(findPathProblem(url)).toBe(reason);
  });
});

describe('originFormOf (absolute-form request targets, RFC 9112 §3.2.2)', () => {
  it.each([
    ['/api/products?limit=1', '/api/products?limit=1'],
    ['http://gateway.example/api/products?limit=1', '/api/products?limit=1'],
    ['HTTPS://gateway.example:8443/v1/orders/O-00001', '/v1/orders/O-00001'],
    ['http://user:secret@gateway.example/x', '/x'],
    ['http://gateway.example', '/'],
    ['http://gateway.example?x=1', '/?x=1'],
    ['http://gateway.example//api/../payroll', '//api/../payroll'],
    ['*', '*'],
    ['ftp://gateway.example/x', 'ftp://gateway.example/x'],
  ])('%s → %s', (url, expected) => {
    expect(originFormOf(url)).toBe(expected);
  });
});

describe('findTargetProblem', () => {
  it.each([
    ['/api/products', undefined],
    ['/api/products?q=kettle&limit=2', undefined],
    ['/api/products?q=caf%C3%A9', undefined],
    ['/api/products?q=a%2Bb%26c%3Dd', undefined],
    ['/api/products?q=100%', 'the query string has an invalid percent-encoding'],
    ['/api/products?q=%C3', 'the query string has an invalid percent-encoding'],
    ['/api/products?q=%zz', 'the query string has an invalid percent-encoding'],
    ['/api/products?a=1#frag', 'a request target carries no fragment (#)'],
    ['/api/products#frag', 'a request target carries no fragment (#)'],
  ])('%s → %s', (url, expected) => {
    expect(findTargetProblem(url)).toBe(expected);
  });
});
