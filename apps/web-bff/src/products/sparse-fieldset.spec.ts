import { fieldsetMessage, fieldsetParser, projectFields } from './sparse-fieldset';

const ALLOWED = ['sku', 'name', 'price', 'warehouse'] as const;
const parse = fieldsetParser(ALLOWED);

describe('fieldsetParser', () => {
  it.each([
    ['one field', 'sku', { fields: ['sku'] }],
    ['several, in the shape’s order whatever the client’s', 'price,sku', { fields: ['sku', 'price'] }],
    ['repeated names once', 'name,name,sku', { fields: ['sku', 'name'] }],
    ['spaces around names', ' sku , price ', { fields: ['sku', 'price'] }],
    ['every field', 'warehouse,price,name,sku', { fields: ['sku', 'name', 'price', 'warehouse'] }],
    ['an unknown field', 'sku,costPrice', { unknown: ['costPrice'] }],
    ['several unknown fields, once each', 'a,b,a', { unknown: ['a', 'b'] }],
    ['an empty value', '', { unknown: [''] }],
    ['an empty entry', 'sku,,name', { unknown: [''] }],
    ['a nested path (top-level fields only)', 'warehouse.location', { unknown: ['…'] }],
    ['a different case', 'SKU', { unknown: ['SKU'] }],
    ['an inherited name', '__proto__', { unknown: ['…'] }],
    ['a prototype method', 'toString', { unknown: ['toString'] }],
    ['markup (not echoed)', '<script>', { unknown: ['…'] }],
  ])('%s: %j → %j', (_label, raw, expected) => {
    expect(parse(raw)).toEqual(expected);
  });

  it('names the allowed fields in its message', () => {
    expect(fieldsetMessage(ALLOWED, ['costPrice', ''])).toBe('fields may name only: sku, name, price, warehouse (unknown: costPrice, (empty))');
  });
});

describe('projectFields', () => {
  const product = { sku: 'S', name: 'N', price: 1, warehouse: { id: 'W' } };

  it.each([
    [['sku'], { sku: 'S' }],
    [['sku', 'price'], { sku: 'S', price: 1 }],
    [['warehouse'], { warehouse: { id: 'W' } }],
    [[], {}],
  ] as const)('%j → %j', (fields, expected) => {
    expect(projectFields(product, fields)).toEqual(expected);
  });

  it('copies nothing it does not name, and no field the value lacks', () => {
    const hostile = { ...product, costPrice: 0.5, internalNotes: 'margin' } as typeof product;
    const projected = projectFields(hostile, ['sku', 'name'] as const);
    expect(Object.keys(projected)).toEqual(['sku', 'name']);
    expect(Object.keys(projectFields({ sku: 'S' } as typeof product, ['sku', 'price'] as const))).toEqual(['sku']);
  });
});
