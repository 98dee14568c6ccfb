import { isProblemError, isUpstreamError } from '@frontdoor/errors';
import { readAs } from './decode';
import { SalesClient, readOrder } from './sales.client';

const order = {
  id: 'O-00001', customerId: 'C0001', partnerId: 'acme', total: 12.5, currency: 'EUR', status: 'paid', createdAt: 't',
  items: [{ sku: 'SKU-1', quantity: 2, unitPrice: 6.25, costPrice: 1 }],
  internalNotes: 'margin', paymentToken: 'tok_secret',
};

describe('readOrder', () => {
  it('copies only the fields of the domain type; a direct order has partnerId null', () => {
    expect(JSON.stringify(readOrder(order))).not.toMatch(/internalNotes|tok_secret|costPrice/);
    expect(readOrder({ ...order, partnerId: null }).partnerId).toBeNull();
  });

  it.each([
    ['an order without id', { ...order, id: undefined }],
    ['a total that is a string', { ...order, total: '12.5' }],
    ['items that are not a list', { ...order, items: {} }],
    ['a partnerId that is a number', { ...order, partnerId: 7 }],
  ])('%s is a 502 bad response naming sales', (_label, value) => {
    let thrown: unknown;
    try {
      readAs('sales', value, readOrder);
    } catch (error) {
      thrown = error;
    }
    expect(isUpstreamError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ status: 502, upstream: 'sales' });
  });
});

describe('SalesClient.createOrder', () => {
  it('POSTs only the named fields as JSON, with the call context, and reads the created order', async () => {
    const fetch = jest.fn().mockResolvedValue({ ...order, id: 'O-00301' });
    const client = new SalesClient({ name: 'sales', fetch } as never);
    const line = { sku: 'SKU-1', quantity: 2, costPrice: 1 };
    const created = await client.createOrder({ customerId: 'C0001', partnerId: 'acme', items: [line], extra: 'x' } as never, { headers: { 'x-request-id': 'r1' } });
    expect(created.id).toBe('O-00301');
    const [request] = fetch.mock.calls[0] as [{ method: string; path: string; headers: Record<string, string>; body: string }];
    expect(request).toMatchObject({ method: 'POST', path: '/orders', headers: { 'x-request-id': 'r1', 'content-type': 'application/json' } });
    expect(JSON.parse(request.body)).toEqual({ customerId: 'C0001', partnerId: 'acme', items: [{ sku: 'SKU-1', quantity: 2 }] });
  });
});

describe('SalesClient.getOrder', () => {
  it.each(['O-00001', 'O-00300', 'O-100000'])('asks sales for the order %s', async (id) => {
    const fetch = jest.fn().mockResolvedValue({ ...order, id });
    const client = new SalesClient({ name: 'sales', fetch } as never);
    expect((await client.getOrder(id, { headers: {} })).id).toBe(id);
    expect(fetch.mock.calls[0]?.[0]).toMatchObject({ method: 'GET', path: `/orders/${id}` });
  });

  it.each(['recent', 'summary', 'O-1', 'o-00001', 'O-00001x', ' O-00001', 'O-00001\n', '', 'O-0000000000001'])(
    '%j is no order id: a 404, and sales is not asked (it could be another sales route)',
    async (id) => {
      const fetch = jest.fn();
      const client = new SalesClient({ name: 'sales', fetch } as never);
      const thrown: unknown = await client.getOrder(id, { headers: {} }).catch((error: unknown) => error);
      expect(isProblemError(thrown)).toBe(true);
      expect(thrown).toMatchObject({ status: 404, slug: 'not-found' });
      expect(fetch).not.toHaveBeenCalled();
    },
  );
});
