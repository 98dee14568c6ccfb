import { connectionTokens, forwardableHeaderProblem, pickHeaders, returnableHeaderProblem } from './header.policy';

describe('header policy', () => {
  it.each([
    ['accept-language', undefined],
    ['if-none-match', undefined],
    ['Accept-Language', 'is not a lower-case header name'],
    ['connection', 'is a hop-by-hop header'],
    ['te', 'is a hop-by-hop header'],
    ['transfer-encoding', 'is a hop-by-hop header'],
    ['upgrade', 'is a hop-by-hop header'],
    ['proxy-authorization', 'is a hop-by-hop header'],
    ['proxy-whatever', 'is a hop-by-hop header'],
    ['authorization', 'may carry credentials or identity and is never forwarded'],
    ['cookie', 'may carry credentials or identity and is never forwarded'],
    ['host', 'may carry credentials or identity and is never forwarded'],
    ['x-user-id', 'may carry credentials or identity and is never forwarded'],
    ['x-roles', 'may carry credentials or identity and is never forwarded'],
    ['x-forwarded-for', 'may carry credentials or identity and is never forwarded'],
    ['x-api-key', 'may carry credentials or identity and is never forwarded'],
  ])('request header %s → %s', (name, problem) => {
    expect(forwardableHeaderProblem(name)).toBe(problem);
  });

  it.each([
    ['etag', undefined],
    ['last-modified', undefined],
    ['content-language', undefined],
    ['set-cookie', 'reveals the estate or is set by the gateway itself'],
    ['server', 'reveals the estate or is set by the gateway itself'],
    ['x-powered-by', 'reveals the estate or is set by the gateway itself'],
    ['location', 'reveals the estate or is set by the gateway itself'],
    ['content-type', 'reveals the estate or is set by the gateway itself'],
    ['keep-alive', 'is a hop-by-hop header'],
  ])('response header %s → %s', (name, problem) => {
    expect(returnableHeaderProblem(name)).toBe(problem);
  });

  it('parses Connection tokens', () => {
    expect([...(connectionTokens('keep-alive, X-Secret ,,Upgrade') ?? [])]).toEqual(['keep-alive', 'x-secret', 'upgrade']);
    expect(connectionTokens(undefined)).toBeUndefined();
  });

  it('copies allow-listed single-valued headers onto the base, skipping hop-by-hop and Connection-named ones', () => {
    const base = { 'x-request-id': 'r1' };
    const incoming = {
      'accept-language': 'de',
      'if-none-match': '"v1"',
      'x-custom': ['a', 'b'],
      connection: 'if-none-match',
      te: 'trailers',
      cookie: 'c',
    };
    expect(pickHeaders(incoming, ['accept-language', 'if-none-match', 'x-custom', 'te'], base)).toEqual({
      'x-request-id': 'r1',
      'accept-language': 'de',
    });
    expect(base).toEqual({ 'x-request-id': 'r1' });
    expect(pickHeaders(incoming, [], base)).toBe(base);
    expect(pickHeaders({}, ['accept-language'], base)).toBe(base);
  });
});
