import { isProblemError } from '@frontdoor/errors';
import { compileBodyFields, refuseBadBodyFields, type BodyShape } from './body-fields';

const ORDER = compileBodyFields([
  'customerId:string',
  'items[].sku:string',
  'items[].quantity:integer',
  'items[].weight:number',
  'address.city:string',
  'address.lines[].text:string',
  'gift:boolean',
]);

/** The 400's detail for `body` against `shape` (the order row's by default), or undefined when it passes. */
function refusal(body: unknown, shape: BodyShape = ORDER): string | undefined {
  try {
    refuseBadBodyFields(body, shape);
    return undefined;
  } catch (error) {
    if (!isProblemError(error) || error.status !== 400) throw error;
    return error.detail;
  }
}

describe('compileBodyFields', () => {
  it.each([
    ['a segment with a bracket inside', ['items[0].sku:string'], 'must be field names joined by "."'],
    ['an empty segment', ['items..sku:string'], 'must be field names joined by "."'],
    ['a type on a segment before the leaf', ['items:string.sku:string'], 'must be field names joined by "."'],
    ['a trailing []', ['tags[]'], 'ends in "[]"'],
    ['a leaf without a type', ['customerId'], 'names no type'],
    ['a leaf with an empty type', ['customerId:'], 'has an unknown type'],
    ['a leaf with an unknown type', ['customerId:object'], 'has an unknown type'],
    ['a type inherited from Object.prototype', ['customerId:toString'], 'has an unknown type'],
    ['a leaf named twice with two types', ['quantity:integer', 'quantity:string'], 'is named twice'],
    [
      'a field alone and with fields under it',
      ['items:string', 'items[].sku:string'],
      'is named both alone and with fields under it',
    ],
    [
      'fields under a field named alone before',
      ['items[].sku:string', 'items:string'],
      'is named both alone and with fields under it',
    ],
    [
      'an array and an object',
      ['items[].sku:string', 'items.sku:string'],
      'is named both as an array and as an object',
    ],
  ])('refuses %s', (_label, names, message) => {
    expect(() => compileBodyFields(names)).toThrow(message);
  });
});

describe('refuseBadBodyFields', () => {
  it.each([
    [
      'named fields at every depth',
      {
        customerId: 'C1',
        items: [{ sku: 'S', quantity: 1, weight: 0.5 }, {}],
        address: { city: 'X', lines: [{ text: 'a' }] },
        gift: false,
      },
    ],
    ['an integer where a number is named', { items: [{ weight: 2 }] }],
    ['the empty string', { customerId: '' }],
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
    [
      'an object where a string is named (operator injection)',
      { customerId: { $gt: '' } },
      'field "customerId" must be a string.',
    ],
    [
      'an array where a string is named',
      { customerId: ['C1', 'C2'] },
      'field "customerId" must be a string.',
    ],
    ['null where a string is named', { customerId: null }, 'field "customerId" must be a string.'],
    ['a number where a string is named', { customerId: 1 }, 'field "customerId" must be a string.'],
    [
      'a numeric string where an integer is named',
      { items: [{ quantity: '2' }] },
      'field "items[0].quantity" must be an integer.',
    ],
    [
      'a fraction where an integer is named',
      { items: [{ quantity: 1.5 }] },
      'field "items[0].quantity" must be an integer.',
    ],
    [
      'an integer beyond 2^53',
      { items: [{ quantity: 2 ** 60 }] },
      'field "items[0].quantity" must be an integer.',
    ],
    [
      'a string where a number is named',
      { items: [{ weight: '0.5' }] },
      'field "items[0].weight" must be a number.',
    ],
    ['a string where a boolean is named', { gift: 'true' }, 'field "gift" must be true or false.'],
    [
      'a type error in a nested object',
      { address: { city: { x: 1 } } },
      'field "address.city" must be a string.',
    ],
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

describe('required fields (a type ending in !)', () => {
  const ORDER_REQUIRED = compileBodyFields([
    'customerId:string!',
    'items[].sku:string!',
    'items[].quantity:integer!',
    'note:string',
  ]);
  const missing = (body: unknown): string | undefined => refusal(body, ORDER_REQUIRED);

  it.each([
    ['every required field', { customerId: 'C1', items: [{ sku: 'S', quantity: 1 }] }],
    [
      'an optional field left out, another given',
      { customerId: 'C1', items: [{ sku: 'S', quantity: 1 }], note: 'x' },
    ],
    ['an empty list (its elements carry the required fields)', { customerId: 'C1', items: [] }],
  ])('accepts %s', (_label, body) => {
    expect(missing(body)).toBeUndefined();
  });

  it.each([
    ['an empty body', {}, 'The request body lacks required fields: "customerId", "items".'],
    [
      'a list element without one',
      { customerId: 'C1', items: [{ sku: 'S' }, { quantity: 2 }] },
      '"items[0].quantity", "items[1].sku".',
    ],
    [
      'a required leaf at the top',
      { items: [{ sku: 'S', quantity: 1 }] },
      'lacks required fields: "customerId".',
    ],
  ])('refuses %s', (_label, body, detail) => {
    expect(missing(body)).toContain(detail);
  });

  it('names unknown fields before missing ones (one 400, the first problem)', () => {
    expect(missing({ partnerId: 'acme' })).toBe(
      'The request body has fields this route does not accept: "partnerId".',
    );
  });

  it.each([['customerId:string!!'], ['customerId!'], ['customerId:!']])(
    'refuses the malformed %s',
    (name) => {
      expect(() => compileBodyFields([name])).toThrow();
    },
  );
});
