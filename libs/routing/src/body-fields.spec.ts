import { isProblemError } from '@frontdoor/errors';
import { compileBodyFields, refuseUnnamedFields } from './body-fields';

const ORDER = compileBodyFields([
  'customerId',
  'items[].sku',
  'items[].quantity',
  'address.city',
  'address.lines[].text',
  'note',
]);

function refusal(body: unknown): string | undefined {
  try {
    refuseUnnamedFields(body, ORDER);
    return undefined;
  } catch (error) {
    if (!isProblemError(error) || error.status !== 400) throw error;
    return error.detail;
  }
}

describe('compileBodyFields', () => {
  it.each([
    ['a segment with a bracket inside', ['items[0].sku'], 'must be field names joined by "."'],
    ['an empty segment', ['items..sku'], 'must be field names joined by "."'],
    ['a trailing []', ['tags[]'], 'ends in "[]"'],
    [
      'a field alone and with fields under it',
      ['items', 'items[].sku'],
      'is named both alone and with fields under it',
    ],
    [
      'fields under a field named alone before',
      ['items[].sku', 'items'],
      'is named both alone and with fields under it',
    ],
    ['an array and an object', ['items[].sku', 'items.sku'], 'is named both as an array and as an object'],
  ])('refuses %s', (_label, names, message) => {
    expect(() => compileBodyFields(names)).toThrow(message);
  });
});

describe('refuseUnnamedFields', () => {
  it.each([
    [
      'named fields at every depth',
      {
        customerId: 'C1',
        items: [{ sku: 'S', quantity: 1 }, {}],
        address: { city: 'X', lines: [{ text: 'a' }] },
      },
    ],
    ['any value under a leaf', { note: { anything: [1, { deep: true }] }, customerId: { odd: 1 } }],
    ['an empty object', {}],
    ['an empty list', { items: [] }],
  ])('accepts %s', (_label, body) => {
    expect(refusal(body)).toBeUndefined();
  });

  it.each([
    ['a top-level field', { customerId: 'C1', partnerId: 'acme' }, 'does not accept: "partnerId".'],
    [
      'fields inside list elements',
      { items: [{ sku: 'S', unitPrice: 0.01, partnerId: 'acme' }] },
      '"items[0].unitPrice", "items[0].partnerId".',
    ],
    ['a field in a nested object', { address: { city: 'X', country: 'Y' } }, '"address.country".'],
    [
      'a field two lists deep',
      { address: { lines: [{ text: 'a' }, { text: 'b', extra: 1 }] } },
      '"address.lines[1].extra".',
    ],
    [
      'more than five, cut',
      { items: Array.from({ length: 9 }, () => ({ price: 1 })) },
      '"items[4].price", ….',
    ],
    [
      'a list given as an object',
      { items: { sku: 'S', unitPrice: 1 } },
      'field "items" must be an array of objects.',
    ],
    ['a list of scalars', { items: ['S'] }, 'field "items[0]" must be an object.'],
    ['a null list', { items: null }, 'field "items" must be an array of objects.'],
    ['an object given as a list', { address: [{ city: 'X' }] }, 'field "address" must be an object.'],
    ['a body that is an array', [{ customerId: 'C1' }], 'must be a JSON object.'],
    ['a body that is null', null, 'must be a JSON object.'],
  ])('refuses %s with a 400', (_label, body, detail) => {
    expect(refusal(body)).toContain(detail);
  });

  it('cuts the echoed names short (client input)', () => {
    expect(refusal({ ['x'.repeat(500)]: 1 })).toBe(
      `The request body has fields this route does not accept: "${'x'.repeat(64)}".`,
    );
  });
});
