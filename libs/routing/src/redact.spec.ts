import { redactKeys } from './redact';

const KEYS = new Set(['iban', 'costPrice']);

describe('redactKeys', () => {
  it.each([
    ['a flat object', { sku: 'A', costPrice: 1 }, { sku: 'A' }],
    ['nested objects and arrays', { items: [{ sku: 'A', costPrice: 1 }, { sku: 'B' }], pay: { iban: 'X', bank: 'Y' } }, { items: [{ sku: 'A' }, { sku: 'B' }], pay: { bank: 'Y' } }],
    ['a named key holding an object (dropped whole)', { iban: { country: 'AT' }, ok: true }, { ok: true }],
    ['scalars and null', [1, 'x', null, { iban: 1 }], [1, 'x', null, {}]],
    ['nothing to remove', { a: { b: [1, 2] } }, { a: { b: [1, 2] } }],
  ])('%s', (_label, input, expected) => {
    const before = structuredClone(input);
    expect(redactKeys(input, KEYS)).toEqual(expected);
    expect(input).toEqual(before); // a copy: the decoded value is left as it was
  });

  it('keeps key order (the answer reads the same)', () => {
    expect(Object.keys(redactKeys({ z: 1, iban: 2, a: 3 }, KEYS) as object)).toEqual(['z', 'a']);
  });
});
