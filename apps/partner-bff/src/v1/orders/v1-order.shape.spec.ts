import type { Order } from '@frontdoor/backends';
import { toV1Order } from './v1-order.shape';

const order = {
  id: 'O-00001',
  customerId: 'C0042',
  partnerId: 'acme',
  items: [{ sku: 'SKU-1', quantity: 2, unitPrice: 9.5, costPrice: 3 }],
  total: 19,
  currency: 'EUR',
  status: 'paid',
  createdAt: '2024-01-01T00:00:00.000Z',
  internalNotes: 'fraud score 0.9',
} as unknown as Order;

describe('toV1Order', () => {
  it('copies the v1 fields', () => {
    expect(toV1Order(order)).toEqual({
      id: 'O-00001',
      status: 'paid',
      items: [{ sku: 'SKU-1', quantity: 2, unitPrice: 9.5 }],
      total: 19,
      currency: 'EUR',
      createdAt: '2024-01-01T00:00:00.000Z',
    });
  });

  it('copies nothing it does not name: not the customer, the partner, or anything sales adds', () => {
    expect(JSON.stringify(toV1Order(order))).not.toMatch(/C0042|acme|costPrice|fraud|partnerId|customerId/);
  });
});
