import type { Order } from '@frontdoor/backends';
import { toV2Order } from './v2-order.shape';

/** An upstream order with every field sales has, and secret-looking ones it might add. */
const upstream = {
  id: 'O-00001',
  customerId: 'C0042',
  partnerId: 'acme',
  items: [
    { sku: 'SKU-1', quantity: 2, unitPrice: 9.5, costPrice: 3 },
    { sku: 'SKU-2', quantity: 1, unitPrice: 1, supplierRef: 'SUP-XYZ' },
  ],
  total: 20,
  currency: 'EUR',
  status: 'paid',
  createdAt: '2024-01-01T00:00:00.000Z',
  internalNotes: 'fraud score 0.9',
  paymentToken: 'tok_live_secret',
} as unknown as Order;

describe('toV2Order', () => {
  it.each([
    [
      'money with the order currency, on every line and the total',
      upstream,
      {
        id: 'O-00001',
        status: 'paid',
        items: [
          { sku: 'SKU-1', quantity: 2, unitPrice: { amount: 9.5, currency: 'EUR' } },
          { sku: 'SKU-2', quantity: 1, unitPrice: { amount: 1, currency: 'EUR' } },
        ],
        total: { amount: 20, currency: 'EUR' },
        createdAt: '2024-01-01T00:00:00.000Z',
      },
    ],
    [
      'an order without lines',
      { ...upstream, items: [], total: 0, currency: 'USD' },
      { id: 'O-00001', status: 'paid', items: [], total: { amount: 0, currency: 'USD' }, createdAt: '2024-01-01T00:00:00.000Z' },
    ],
  ])('%s', (_label, order, expected) => {
    expect(toV2Order(order as Order)).toEqual(expected);
  });

  it('copies nothing it does not name: not the customer, the partner, or anything sales adds', () => {
    expect(JSON.stringify(toV2Order(upstream))).not.toMatch(/C0042|acme|costPrice|SUP-XYZ|fraud|tok_live|partnerId|customerId/);
  });
});
