import { redactKeys } from './redact';

const KEYS = new Set(['iban', 'costPrice']);

describe('redactKeys', () => {
  it.each([
    ['a flat object', { sku: 'A', costPrice: 1 }, { sku: 'A' }],
    ['nested objects and arrays', { items: [{ sku: 'A', costPrice: 1 }, { sku: 'B' }], pay: { iban: 'X', bank: 'Y' } }, { items: [{ sku: 'A' }, { sku: 'B' }], pay: { bank: 'Y' } }],
    ['a named key holding an object (dropped whole)', { iban: { country: 'AT' }, ok: true }, { ok: true }],
    ['scalars and null', [1, 'x', null, { iban: 1 }], [1, 'x', null, {}]],
    ['nothing to remove', { a: { b: [1, 2] } }, { a: { b: [1, 2] } }],
    ['a named key late in an array, after kept items', [{ a: 1 }, { b: 2 }, { iban: 3, c: 4 }], [{ a: 1 }, { b: 2 }, { c: 4 }]],
    ['a named key late in an object, after kept keys', { a: 1, b: { c: 2 }, costPrice: 3, d: 4 }, { a: 1, b: { c: 2 }, d: 4 }],
    ['named keys holding falsy values', { iban: 0, costPrice: '', x: false }, { x: false }],
  ])('%s', (_label, input, expected) => {
    const before = structuredClone(input);
    expect(redactKeys(input, KEYS)).toEqual(expected);
    expect(input).toEqual(before); // a copy: the decoded value is left as it was
  });

  it('returns what holds nothing to remove as it is, and shares the untouched parts of a copy', () => {
    const clean = { a: { b: [1, 2] }, list: [{ sku: 'A' }] };
    expect(redactKeys(clean, KEYS)).toBe(clean);
    const input = { costPrice: 1, kept: { deep: { x: 1 } }, items: [{ sku: 'A' }, { sku: 'B', iban: 'X' }, { sku: 'C' }] };
    const out = redactKeys(input, KEYS) as typeof input;
    expect(out).not.toBe(input);
    expect(out.kept).toBe(input.kept);
    expect(out.items).not.toBe(input.items);
    expect(out.items[0]).toBe(input.items[0]);
    expect(out.items[2]).toBe(input.items[2]);
    expect(out.items[1]).toEqual({ sku: 'B' });
  });

  it('keeps key order (the answer reads the same)', () => {
    expect(Object.keys(redactKeys({ z: 1, iban: 2, a: 3 }, KEYS) as object)).toEqual(['z', 'a']);
  });
});
