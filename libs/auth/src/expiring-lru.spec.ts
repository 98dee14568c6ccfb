import { ExpiringLru } from './expiring-lru';

/** Applies `uses` (`a` sets a, `get(a)`, `delete(a)`) to an LRU of `capacity`, at time 0, entries expiring at 1000. */
function lruAfter(capacity: number, uses: string): ExpiringLru<string> {
  const lru = new ExpiringLru<string>(capacity);
  for (const use of uses.split(' ')) {
    const [, op, key = ''] = /^(?:(get|delete)\()?(\w)\)?$/.exec(use) ?? [];
    if (op === 'get') lru.get(key, 0);
    else if (op === 'delete') lru.delete(key);
    else lru.set(key, key, 1000);
  }
  return lru;
}

describe('ExpiringLru', () => {
  // the hit on the key used last skips the move (no delete and insert): the order must be the same as with it
  it.each([
    ['a b', 'a'],
    ['a b get(a)', 'b'],
    ['a b get(b)', 'a'],
    ['a b get(a) get(a)', 'b'],
    ['a b get(a) get(b)', 'a'],
    ['a b get(b) get(b) get(a)', 'b'],
    ['a b a', 'b'],
    ['a b delete(b) b', 'a'],
    ['a b delete(b) c get(a)', 'c'],
    ['a b delete(a) get(b) c', 'b'],
    ['a get(a) b get(a)', 'b'],
    ['b get(b) a delete(a) a get(b)', 'a'],
  ])('after %s, one more key evicts %s (least recently used)', (uses, evicted) => {
    const lru = lruAfter(2, uses);
    expect(lru.size).toBe(2);
    lru.set('z', 'z', 1000); // full: z evicts the least recently used key
    expect(lru.size).toBe(2);
    expect(lru.get(evicted, 0)).toBeUndefined();
  });

  it('never answers an entry at or after its expiry, the key used last included', () => {
    const lru = new ExpiringLru<string>(2);
    lru.set('a', 'A', 1000);
    expect(lru.get('a', 999)).toBe('A');
    expect(lru.get('a', 1000)).toBeUndefined();
    expect(lru.size).toBe(0);
  });
});
