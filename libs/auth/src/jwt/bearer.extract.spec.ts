import { bearerTokenOf, MAX_TOKEN_LENGTH } from './bearer.extract';

describe('bearerTokenOf (strict RFC 6750 extraction)', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['BEARER abc-_.~+/=', 'abc-_.~+/='],
    [`Bearer ${'a'.repeat(MAX_TOKEN_LENGTH)}`, 'a'.repeat(MAX_TOKEN_LENGTH)],
    // RFC 6750 §2.1: "Bearer" 1*SP b64token
    ['Bearer  abc', 'abc'],
    ['Bearer   abc.def.ghi', 'abc.def.ghi'],
  ])('takes the token of %j', (header, token) => {
    expect(bearerTokenOf(header)).toBe(token);
  });

  it.each([
    ['no Authorization header', undefined],
    ['Basic credentials', 'Basic YWxpY2U6c2VjcmV0'],
    ['Digest credentials', 'Digest username="alice", realm="x"'],
    ['an empty header', ''],
    ['a header of spaces', '   '],
    ['another scheme alone', 'Negotiate'],
    ['the scheme alone', 'Bearer'],
    ['the scheme and a space', 'Bearer '],
    ['the scheme in lower case and spaces', 'bearer   '],
  ])('answers undefined (no bearer credentials sent) for %s', (_label, header) => {
    expect(bearerTokenOf(header)).toBeUndefined();
  });

  it.each([
    ['a Bearer-like scheme', 'Bearer-x abc'],
    ['an oversized token after two spaces', `Bearer  ${'a'.repeat(MAX_TOKEN_LENGTH + 1)}`],
    ['trailing garbage (passport-jwt would ignore it)', 'Bearer abc.def.ghi extra'],
    ['a comma list', 'Bearer abc, Bearer def'],
    ['a tab', 'Bearer\tabc'],
    ['a token with a quote', 'Bearer "abc"'],
    ['a scheme prefix', 'Bearerabc'],
    ['no scheme', 'abc.def.ghi'],
    ['an oversized token', `Bearer ${'a'.repeat(MAX_TOKEN_LENGTH + 1)}`],
    ['a repeated header', ['Bearer a', 'Bearer b']],
  ])('refuses %s with null', (_label, header) => {
    expect(bearerTokenOf(header)).toBeNull();
  });
});
