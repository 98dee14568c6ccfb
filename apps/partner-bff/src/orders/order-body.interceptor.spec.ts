import {
  MAX_ORDER_DEPTH,
  holdsMoreValuesThan,
  itemsRefusalOf,
  nestedDeeperThan,
  orderFromXml,
} from './order-body.interceptor';
import { MAX_ORDER_LINES, MAX_ORDER_VALUES } from './order-limits';

describe('orderFromXml', () => {
  it.each([
    [
      'one line (a single <item> decodes as a value, not a list)',
      { order: { customerId: 'C0001', items: { item: { sku: 'SKU-00001', quantity: '2' } } } },
      { customerId: 'C0001', items: [{ sku: 'SKU-00001', quantity: 2 }] },
    ],
    [
      'two lines',
      { order: { customerId: 'C0001', items: { item: [{ sku: 'A', quantity: '1' }, { sku: 'B', quantity: ' 30 ' }] } } },
      { customerId: 'C0001', items: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 30 }] },
    ],
    [
      'a quantity that is not digits stays text (validation refuses it)',
      { order: { customerId: 'C1', items: { item: { sku: 'A', quantity: '2.5' } } } },
      { customerId: 'C1', items: [{ sku: 'A', quantity: '2.5' }] },
    ],
    [
      'leading zeros and long digit strings are not guessed at beyond 9 digits',
      { order: { customerId: 'C1', items: { item: { sku: 'A', quantity: '0000000001234' } } } },
      { customerId: 'C1', items: [{ sku: 'A', quantity: '0000000001234' }] },
    ],
    ['an empty <items/> stays empty text', { order: { customerId: 'C1', items: '' } }, { customerId: 'C1', items: '' }],
    ['an empty <order/> is an empty order', { order: '' }, {}],
    [
      'unknown elements are kept for the DTO to refuse (partnerId included)',
      { order: { customerId: 'C1', partnerId: 'globex', items: { item: { sku: 'A', quantity: '1' }, note: 'x' } } },
      { customerId: 'C1', partnerId: 'globex', items: { item: { sku: 'A', quantity: '1' }, note: 'x' } },
    ],
  ])('%s', (_label, decoded, expected) => {
    expect(orderFromXml(decoded)).toEqual(expected);
  });

  it.each([
    ['another root element', { purchase: { customerId: 'C1' } }],
    ['two root keys', { order: {}, other: {} }],
    ['not an object', 'text'],
  ])('refuses %s with a 400', (_label, decoded) => {
    expect(() => orderFromXml(decoded)).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('nestedDeeperThan', () => {
  const nest = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;

  it.each([
    ['a scalar', 'x', false],
    ['an order (3 levels)', { customerId: 'C1', items: [{ sku: 'A', quantity: 1 }] }, false],
    [`${MAX_ORDER_DEPTH} levels`, nest(MAX_ORDER_DEPTH), false],
    [`${MAX_ORDER_DEPTH + 1} levels`, nest(MAX_ORDER_DEPTH + 1), true],
    ['deep inside one line', { customerId: 'C1', items: [{ sku: 'A', quantity: 1, x: nest(10) }] }, true],
    ['200,000 levels (no stack overflow)', nest(200_000), true],
  ])('%s → %s', (_label, value, deeper) => {
    expect(nestedDeeperThan(value, MAX_ORDER_DEPTH)).toBe(deeper);
  });
});

describe('holdsMoreValuesThan', () => {
  const line = { sku: 'A', quantity: 1 };
  const order = { customerId: 'C1', items: [line] }; // 6 values
  const largest = { customerId: 'C1', items: Array(MAX_ORDER_LINES).fill(line) };
  const deepInALine = { customerId: 'C1', items: [{ ...line, x: { y: Array(1000).fill(null) } }] };
  const unknownField = { ...order, notes: Array(30_000).fill(1) };

  it.each([
    ['a scalar, at most 1: no', 'x', 1, false],
    ['a scalar, at most 0: yes', 'x', 0, true],
    ['an order of 6 values, at most 6: no', order, 6, false],
    ['an order of 6 values, at most 5: yes', order, 5, true],
    ['the largest valid order, at most MAX_ORDER_VALUES: no', largest, MAX_ORDER_VALUES, false],
    ['30,000 numbers in an unknown field: yes', unknownField, MAX_ORDER_VALUES, true],
    ['1,000 values deep inside one line: yes', deepInALine, MAX_ORDER_VALUES, true],
  ])('%s', (_label, value, max, more) => {
    expect(holdsMoreValuesThan(value, max)).toBe(more);
  });
});

describe('itemsRefusalOf', () => {
  const line = { sku: 'A', quantity: 1 };
  const errorsOf = (body: unknown) => itemsRefusalOf(body)?.extensions['errors'];
  const TOO_MANY = [`items must contain no more than ${MAX_ORDER_LINES} elements`];
  const NO_LIST = ['items must be an array'];

  it.each([
    ['the most lines an order may hold: none', { items: Array(MAX_ORDER_LINES).fill(line) }, undefined],
    ['no items at all: none (the DTO lists every missing field)', { customerId: 'C1' }, undefined],
    ['no lines: none (the DTO says “at least 1”)', { items: [] }, undefined],
    ['a body that is no object: none (the DTO says so)', 'text', undefined],
    ['one line too many: no more than 50', { items: Array(MAX_ORDER_LINES + 1).fill(line) }, TOO_MANY],
    ['34,000 lines: no more than 50', { items: Array(34_000).fill(line) }, TOO_MANY],
    ['an object: must be an array', { items: { a: line } }, NO_LIST],
    ['text: must be an array', { items: '' }, NO_LIST],
    ['null: must be an array', { items: null }, NO_LIST],
  ])('%s', (_label, body, errors) => {
    expect(errorsOf(body)).toEqual(errors);
  });

  it('is the 400 validation-failed problem the DTO gives', () => {
    expect(itemsRefusalOf({ items: Array(MAX_ORDER_LINES + 1).fill(line) })).toMatchObject({
      status: 400,
      slug: 'validation-failed',
      detail: 'The request has invalid fields.',
    });
  });
});
