import { MAX_ORDER_DEPTH, nestedDeeperThan, orderFromXml } from './order-body.interceptor';

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
