import { V1_DEPRECATED_AT, V1_SUNSET_AT, successorOf, v1LinkOf } from './v1-lifecycle.hook';

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
