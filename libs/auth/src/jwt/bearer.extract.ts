/** Largest accepted bearer token, in characters: anything longer is refused before it is parsed. */
export const MAX_TOKEN_LENGTH = 8 * 1024;

// RFC 6750 §2.1: `Bearer` (any case), exactly one space, a b64token, nothing else.
const BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] ([A-Za-z0-9\-._~+/]+=*)$/;

/**
 * The token of an `Authorization: Bearer <token>` header: `undefined` when the header is absent (no credentials
 * sent), `null` when it is present but not exactly one well-formed bearer token (another scheme, extra words,
 * a comma list, too long) — strictly, unlike passport-jwt's extractor, which ignores trailing garbage.
 */
export function bearerTokenOf(header: string | string[] | undefined): string | null | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || header.length > MAX_TOKEN_LENGTH + 7) return null;
  const match = BEARER.exec(header);
  return match ? (match[1] as string) : null;
}
