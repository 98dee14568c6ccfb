import { KeyCollisionError, assertDisjointKeys, mergeDisjoint } from './merge';

describe('mergeDisjoint', () => {
  it('merges parts with distinct keys', () => {
    expect(mergeDisjoint({ summary: 1 }, { alerts: [2] })).toEqual({ summary: 1, alerts: [2] });
  });

  it('refuses a key collision at compile time and at run time, never overwriting', () => {
    const a = { id: 'a', name: 'x' };
    const b = { id: 'b' };
    // @ts-expect-error both parts define `id`
    expect(() => mergeDisjoint(a, b)).toThrow(new KeyCollisionError(['id']));
    const loose: object = { name: 'y' };
    expect(() => mergeDisjoint(a, loose)).toThrow(/"name"/);
  });
});

describe('assertDisjointKeys', () => {
  it.each([
    ['disjoint shapes', { sales: ['summary'], inventory: ['stockAlerts'] }, undefined],
    ['a key declared twice', { sales: ['summary', 'total'], orders: ['total'] }, ['total']],
    ['a key repeated within one shape only', { sales: ['a', 'a'] }, undefined],
  ])('%s', (_label, shapes, collision) => {
    if (collision === undefined) expect(() => assertDisjointKeys(shapes)).not.toThrow();
    else expect(() => assertDisjointKeys(shapes)).toThrow(new KeyCollisionError(collision));
  });
});
