import { CURSORS_KEPT, pageCursors } from './page-cursor';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const cursors = pageCursors(SECRET, 'products');
const QUERY = ['kettle', 'kitchen'];
const issued = cursors.encode(40, QUERY);

/** `cursor` with the byte at `index` flipped, re-encoded. */
function flip(cursor: string, index: number): string {
  const bytes = Buffer.from(cursor, 'base64url');
  bytes[index] = (bytes[index] as number) ^ 0x01;
  return bytes.toString('base64url');
}

describe('page cursors (HMAC-SHA256, bound to list and query)', () => {
  it.each([0, 1, 20, 499, 1_000_000, 0xffff_ffff])('round-trips offset %d in 28 opaque characters', (offset) => {
    const cursor = cursors.encode(offset, QUERY);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]{28}$/);
    expect(cursors.decode(cursor, QUERY)).toBe(offset);
  });

  it('is the same cursor for the same position and query (a page has a stable link)', () => {
    expect(cursors.encode(40, QUERY)).toBe(issued);
  });

  it.each([
    ['the cursor as issued', issued, QUERY, 40],
    ['another q', issued, ['lamp', 'kitchen'], undefined],
    ['another tag', issued, ['kettle', 'garden'], undefined],
    ['no filters', issued, ['', ''], undefined],
    ['q and tag swapped', cursors.encode(40, ['a', '']), ['', 'a'], undefined],
    ['a filter moved across the boundary', cursors.encode(40, ['a,b', '']), ['a', 'b'], undefined],
    ['another list', pageCursors(SECRET, 'orders').encode(40, QUERY), QUERY, undefined],
    ['another key (a foreign cursor)', pageCursors('another-secret-of-at-least-32-characters', 'products').encode(40, QUERY), QUERY, undefined],
    ['a tampered offset', flip(issued, 4), QUERY, undefined],
    ['a tampered tag', flip(issued, 20), QUERY, undefined],
    ['another version', flip(issued, 0), QUERY, undefined],
    ['a truncated cursor', issued.slice(0, 27), QUERY, undefined],
    ['a cursor with a character more', `${issued}A`, QUERY, undefined],
    ['padding', `${issued.slice(0, 26)}==`, QUERY, undefined],
    ['characters outside base64url', `${issued.slice(0, 27)}+`, QUERY, undefined],
    ['an unsigned base64 offset (the old cursor)', Buffer.from('40').toString('base64url'), QUERY, undefined],
    ['an empty cursor', '', QUERY, undefined],
  ])('%s → %s', (_label, cursor, query, expected) => {
    expect(cursors.decode(cursor, query)).toBe(expected);
  });

  it('a cursor issued again is the one a fresh codec computes, for its own query only; at most CURSORS_KEPT are kept', () => {
    const codec = pageCursors(SECRET, 'products');
    const fresh = () => pageCursors(SECRET, 'products');
    const first = codec.encode(20, ['a', '']);
    expect(codec.encode(20, ['a', ''])).toBe(first);
    expect(first).toBe(fresh().encode(20, ['a', '']));
    // the same offset for another query (the filter on the other side of the boundary) is its own cursor
    const other = codec.encode(20, ['', 'a']);
    expect(other).not.toBe(first);
    expect(other).toBe(fresh().encode(20, ['', 'a']));
    expect(codec.decode(codec.encode(20, ['a', '']), ['', 'a'])).toBeUndefined();
    for (let offset = 0; offset < CURSORS_KEPT + 500; offset++) codec.encode(offset, QUERY);
    expect(codec.kept).toBe(CURSORS_KEPT);
    // the oldest went first and is computed again, the same
    expect(codec.encode(20, ['a', ''])).toBe(first);
    expect(codec.decode(first, ['a', ''])).toBe(20);
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 32])('refuses to encode offset %d', (offset) => {
    expect(() => cursors.encode(offset, QUERY)).toThrow(RangeError);
  });
});
