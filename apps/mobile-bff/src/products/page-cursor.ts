import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Opaque, signed page cursors. A cursor carries a position (the offset of the next page) and an HMAC-SHA256 tag
 * over that position, the list it belongs to and the query it was issued for. The query itself is not in the
 * cursor: it comes from the request, so a cursor replayed on another query (or list, or with another key) fails
 * the check. Clients cannot read, forge or move a cursor; they can only hand it back.
 *
 * Layout (21 bytes, 28 base64url characters): version (1) | offset, uint32 big-endian (4) | tag (16: HMAC-SHA256
 * truncated to 128 bits).
 */
export interface PageCursors {
  /** @throws RangeError when `offset` is not an integer from 0 to 2^32 − 1 */
  encode(offset: number, query: readonly string[]): string;
  /** The offset, or undefined for anything this codec did not issue for this query. Never throws. */
  decode(cursor: string, query: readonly string[]): number | undefined;
  /** How many issued cursors are kept for reuse (at most {@link CURSORS_KEPT}). */
  readonly kept: number;
}

/**
 * Cursors issued lately, kept by position and query, oldest dropped first: the next-page link of a popular page is the
 * same for every client that asks for it, and its HMAC was ~4 % of a mobile list request's main-thread CPU
 * (`createHmac` with its key set-up, two updates, the digest: profile of mobile-products, docs/benchmarks.md §11).
 * Decoding is not served from here: a cursor handed back is always checked against a fresh tag, in constant time.
 */
export const CURSORS_KEPT = 1024;

const VERSION = 1;
const POSITION_BYTES = 5;
const TAG_BYTES = 16;
const CURSOR = /^[A-Za-z0-9_-]{28}$/;

/** Bytes the tag binds besides the position: the list and its query, unambiguously (a JSON array). */
function boundTo(list: string, query: readonly string[]): string {
  return JSON.stringify([list, ...query]);
}

/**
 * A cursor codec for one list (e.g. `products`), with its key built once. `secret`: MOBILE_CURSOR_SECRET, or random
 * bytes at start (then cursors die with the process, and replicas do not share them).
 */
export function pageCursors(secret: string | Buffer, list: string): PageCursors {
  const key: KeyObject = createSecretKey(typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret);
  const tagOf = (position: Buffer, bound: string): Buffer =>
    createHmac('sha256', key).update(position).update(bound, 'utf8').digest().subarray(0, TAG_BYTES);
  const issued = new Map<string, string>();
  return {
    encode(offset, query) {
      if (!Number.isInteger(offset) || offset < 0 || offset > 0xffff_ffff) throw new RangeError(`a cursor offset must be a uint32, got ${offset}`);
      const bound = boundTo(list, query);
      // digits, then the JSON array: unambiguous
      const keptAs = `${offset}${bound}`;
      const kept = issued.get(keptAs);
      if (kept !== undefined) return kept;
      const position = Buffer.alloc(POSITION_BYTES);
      position.writeUInt8(VERSION, 0);
      position.writeUInt32BE(offset, 1);
      const cursor = Buffer.concat([position, tagOf(position, bound)]).toString('base64url');
      if (issued.size >= CURSORS_KEPT) issued.delete(issued.keys().next().value as string);
      issued.set(keptAs, cursor);
      return cursor;
    },
    decode(cursor, query) {
      if (!CURSOR.test(cursor)) return undefined;
      const bytes = Buffer.from(cursor, 'base64url');
      if (bytes.length !== POSITION_BYTES + TAG_BYTES || bytes[0] !== VERSION) return undefined;
      const position = bytes.subarray(0, POSITION_BYTES);
      if (!timingSafeEqual(bytes.subarray(POSITION_BYTES), tagOf(position, boundTo(list, query)))) return undefined;
      return position.readUInt32BE(1);
    },
    get kept() {
      return issued.size;
    },
  };
}
