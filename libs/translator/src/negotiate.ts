import { paramOf, parseMediaType, type ParsedMediaType } from './media-type';

/** A media type we can answer in; any other string is accepted too. */
export type MediaType =
  | 'application/json'
  | 'application/xml'
  | 'application/problem+json'
  | 'application/problem+xml'
  | string;

interface AcceptRange {
  readonly type: string;
  readonly subtype: string;
  /** Parameters that must match, without `q`, the accept-ext after it, and `charset` (we always answer UTF-8). */
  readonly params: readonly (readonly [string, string])[];
  readonly q: number;
}

const CACHE_LIMIT = 256;
const CACHEABLE_LENGTH = 512;
const MAX_RANGES = 64;
// RFC 9110 §12.4.2 allows three decimals; more digits and a bare '.5' are tolerated.
const QVALUE = /^(?:0(?:\.\d*)?|\.\d+|1(?:\.0*)?)$/;

const acceptCache = new Map<string, readonly AcceptRange[]>();
const offeredCache = new Map<string, ParsedMediaType | undefined>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (key.length > CACHEABLE_LENGTH) return value;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string); // oldest first
  cache.set(key, value);
  return value;
}

function toRange(part: string): AcceptRange | undefined {
  const media = parseMediaType(part);
  if (media === undefined || (media.type === '*' && media.subtype !== '*')) return undefined;
  const params: (readonly [string, string])[] = [];
  for (const [name, value] of media.params) {
    if (name === 'q') {
      return QVALUE.test(value) ? { type: media.type, subtype: media.subtype, params, q: Number(value) } : undefined;
    }
    if (name !== 'charset') params.push([name, value.toLowerCase()]);
  }
  return { type: media.type, subtype: media.subtype, params, q: 1 };
}

function parseAccept(accept: string): readonly AcceptRange[] {
  const cached = acceptCache.get(accept);
  if (cached !== undefined) return cached;
  const ranges: AcceptRange[] = [];
  for (const part of accept.split(',', MAX_RANGES)) {
    const range = toRange(part);
    if (range !== undefined) ranges.push(range);
  }
  return remember(acceptCache, accept, ranges);
}

function parseOffered(offered: string): ParsedMediaType | undefined {
  return offeredCache.has(offered) ? offeredCache.get(offered) : remember(offeredCache, offered, parseMediaType(offered));
}

/** How precisely `range` names `media`: -1 no match, 0 `*\/*`, 1 `type/*`, 2+ the type (plus matched parameters). */
function specificity(range: AcceptRange, media: ParsedMediaType): number {
  if (range.type === '*') return 0;
  if (range.type !== media.type) return -1;
  if (range.subtype === '*') return 1;
  if (range.subtype !== media.subtype) return -1;
  for (const [name, value] of range.params) {
    if (paramOf(media, name)?.toLowerCase() !== value) return -1;
  }
  return 2 + range.params.length;
}

/**
 * Proactive negotiation (RFC 9110 §12.5.1): the best of `offered` for an Accept header. Each offered type takes the
 * q-value of the most specific range that matches it (`application/json;q=0, *\/*` excludes JSON only); the highest
 * q wins, then the more specific match (a type the client named beats one it reached by wildcard), then the
 * server's order in `offered`. Type, subtype and parameter names compare case-insensitively; `charset` is ignored.
 *
 * Ranges that do not parse (or carry an invalid q) are skipped; only the first 64 ranges are read. Parsed Accept
 * values are cached (256 entries, oldest evicted first).
 *
 * @returns `offered[0]` when Accept is missing, empty or has no parseable range (a header we cannot read is
 *   disregarded, as §12.5.1 allows); `undefined` when nothing offered is acceptable (answer 406). Never throws.
 */
export function negotiate(accept: string | undefined, offered: readonly MediaType[]): MediaType | undefined {
  const ranges = accept === undefined ? [] : parseAccept(accept);
  if (ranges.length === 0) return offered[0];
  let best: MediaType | undefined;
  let bestQ = 0;
  let bestSpecificity = -1;
  for (const candidate of offered) {
    const media = parseOffered(candidate);
    if (media === undefined) continue;
    let q = 0;
    let matched = -1;
    for (const range of ranges) {
      const s = specificity(range, media);
      if (s > matched) {
        matched = s;
        q = range.q;
      }
    }
    if (q > bestQ || (q === bestQ && q > 0 && matched > bestSpecificity)) {
      best = candidate;
      bestQ = q;
      bestSpecificity = matched;
    }
  }
  return best;
}
