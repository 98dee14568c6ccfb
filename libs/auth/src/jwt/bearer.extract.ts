/** Largest accepted bearer token, in characters: anything longer is refused before it is parsed. */
export const MAX_TOKEN_LENGTH = 8 * 1024;

// RFC 6750 §2.1: `credentials = "Bearer" 1*SP b64token` — `Bearer` (any case), one or more spaces, a b64token,
// nothing else.
const BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] +([A-Za-z0-9\-._~+/]+=*)$/;
// The scheme with no token: no credentials were sent (as Envoy's jwt_authn and Kong's jwt plugin read it)
const BEARER_ALONE = /^[Bb][Ee][Aa][Rr][Ee][Rr] *$/;
/** Spaces tolerated between the scheme and the token before the header counts as oversized. */
const MAX_SPACES = 16;
// RFC 9110 §11.4: an auth-scheme token, a space, then its credentials (`Basic …`, `Digest …`); or a scheme's name
// alone (`Negotiate`) — letters, digits and '-' only, so that a bare token (a JWT has dots) still counts as an attempt
const OTHER_SCHEME = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) \S|^([A-Za-z][A-Za-z0-9-]*)$/;

/**
 * The token of an `Authorization: Bearer <token>` header: `undefined` when no bearer credentials were sent (no
 * header, an empty one, the scheme with no token, or another scheme such as `Basic`, with or without credentials:
 * RFC 6750 §3.1, the request lacks authentication information or uses another method, so its 401 carries the bare
 * challenge and does not call a token invalid that was never sent); `null` when a bearer token was attempted but is
 * not exactly one well-formed token (extra words, a comma list, too long, no scheme) — strictly, unlike
 * passport-jwt's extractor, which ignores trailing garbage.
 */
export function bearerTokenOf(header: string | string[] | undefined): string | null | undefined {
  if (header === undefined || (typeof header === 'string' && header.trim() === '')) return undefined;
  if (typeof header !== 'string' || header.length > MAX_TOKEN_LENGTH + 6 + MAX_SPACES) return null;
  const match = BEARER.exec(header);
  if (match) return (match[1] as string).length > MAX_TOKEN_LENGTH ? null : (match[1] as string);
  if (BEARER_ALONE.test(header)) return undefined;
  const other = OTHER_SCHEME.exec(header);
  const scheme = (other?.[1] ?? other?.[2])?.toLowerCase();
  return scheme !== undefined && !scheme.startsWith('bearer') ? undefined : null;
}
