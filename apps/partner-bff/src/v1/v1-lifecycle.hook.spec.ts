import { V1_DEPRECATED_AT, V1_SUNSET_AT, isV1Answer, successorOf, v1LinkOf } from './v1-lifecycle.hook';

describe('v1 successor links', () => {
  it.each([
    ['/v1/products', {}, '/v2/products'],
    ['/v1/orders', {}, '/v2/orders'],
    ['/v1/orders/:id', { id: 'O-00001' }, '/v2/orders/O-00001'],
    ['/v1/orders/:id', { id: 'a>b; rel="x"' }, '/v2/orders/a%3Eb%3B%20rel%3D%22x%22'],
    ['/v1/usage', {}, '/v2/usage'],
    ['/v1/openapi.json', {}, '/v2/openapi.json'],
    [undefined, {}, '/v2/openapi.json'],
    ['/v1/not-a-route', {}, '/v2/openapi.json'],
  ])('%s %j → %s', (route, params, successor) => {
    expect(successorOf(route, params)).toBe(successor);
  });

  it('links the successor and the deprecation documentation', () => {
    expect(v1LinkOf('/v1/products', {})).toBe('</v2/products>; rel="successor-version", </docs>; rel="deprecation"');
  });

  it('sunsets after it was deprecated', () => {
    expect(V1_SUNSET_AT.getTime()).toBeGreaterThan(V1_DEPRECATED_AT.getTime());
  });
});

describe('which answers are v1 answers', () => {
  it.each([
    ['/v1/products', '/%761/products?limit=1', true],
    ['/v1/orders/:id', '/v1/orders/O-00001', true],
    ['/v2/products', '/v2/products', false],
    ['/v2/products', '/v2/products?x=/v1/', false],
    ['/health/live', '/health/live', false],
    [undefined, '/v1/nothing', true],
    [undefined, '/v1', true],
    [undefined, '/v1?limit=1', true],
    [undefined, '/%761/nothing', true],
    [undefined, '/%76%31/%2e%2e/usage', true],
    [undefined, '/v1%2Fproducts', true],
    [undefined, '/%761/%zz', true],
    [undefined, '/%zz/v1', false],
    [undefined, '/v10/products', false],
    [undefined, '/%7631/products', false],
    [undefined, '/v2/nothing', false],
    [undefined, '/nothing?next=/v1/', false],
    [undefined, '*', false],
  ])('route %s, url %s → %s', (route, url, expected) => {
    expect(isV1Answer(route, url)).toBe(expected);
  });
});
