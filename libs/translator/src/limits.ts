/** Caps applied before and while decoding a body. */
export interface DecodeLimits {
  /** Largest accepted body, in bytes of UTF-8 (or of the raw body for `decodeBody`). Default 1 MiB. */
  maxBytes?: number;
  /** Deepest accepted nesting: elements for XML (the root is 1), arrays/objects for JSON. Default 64. */
  maxDepth?: number;
}

/** Default `maxBytes`: 1 MiB. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;
/** Default `maxDepth`: 64 levels. */
export const DEFAULT_MAX_DEPTH = 64;

export interface ResolvedLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
}

/**
 * Applies the defaults with `??`, never `||`: a limit of 0 means 0 (fast-xml-parser's CVE-2026-33349 turned 0 into
 * "unlimited"). NaN or a negative limit is a programming error, not bad input, hence a RangeError.
 */
export function resolveLimits(limits: DecodeLimits | undefined): ResolvedLimits {
  const maxBytes = limits?.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxDepth = limits?.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!(maxBytes >= 0) || !(maxDepth >= 0)) throw new RangeError('decode limits must be numbers >= 0');
  return { maxBytes, maxDepth };
}

/** UTF-8 length of `text` compared with `maxBytes`, without encoding it when the answer is obvious. */
export function exceedsBytes(text: string, maxBytes: number): boolean {
  // A UTF-16 unit encodes to 1..3 bytes (a surrogate pair, 2 units, to 4).
  if (text.length > maxBytes) return true;
  if (text.length * 3 <= maxBytes) return false;
  return Buffer.byteLength(text, 'utf8') > maxBytes;
}
