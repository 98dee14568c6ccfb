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
}

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
  const tagOf = (position: Buffer, query: readonly string[]): Buffer =>
    createHmac('sha256', key).update(position).update(boundTo(list, query), 'utf8').digest().subarray(0, TAG_BYTES);
  return {
    encode(offset, query) {
      if (!Number.isInteger(offset) || offset < 0 || offset > 0xffff_ffff) throw new RangeError(`a cursor offset must be a uint32, got ${offset}`);
      const position = Buffer.alloc(POSITION_BYTES);
      position.writeUInt8(VERSION, 0);
      position.writeUInt32BE(offset, 1);
      return Buffer.concat([position, tagOf(position, query)]).toString('base64url');
    },
    decode(cursor, query) {
      if (!CURSOR.test(cursor)) return undefined;
      const bytes = Buffer.from(cursor, 'base64url');
      if (bytes.length !== POSITION_BYTES + TAG_BYTES || bytes[0] !== VERSION) return undefined;
      const position = bytes.subarray(0, POSITION_BYTES);
      if (!timingSafeEqual(bytes.subarray(POSITION_BYTES), tagOf(position, query))) return undefined;
      return position.readUInt32BE(1);
    },
  };
}
