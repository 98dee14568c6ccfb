import { isUpstreamError } from '@frontdoor/errors';
import { readAs } from './decode';
import { readStockAlert } from './inventory.client';
import { readSalesSummary } from './sales.client';

const summary = {
  currency: 'EUR',
  referenceDate: '2026-03-01T12:00:00.000Z',
  today: { orders: 2, revenue: 10.5 },
  last7Days: { orders: 9, revenue: 99 },
  last30Days: { orders: 30, revenue: 1000 },
  byStatus: { pending: 3, shipped: 27 },
  internalMargin: 0.4,
};
const alert = { sku: 'SKU-00025', name: 'n', stock: 0, warehouse: { id: 'W1', name: 'North', location: 'Leeds', manager: 'x' }, costPrice: 3 };

describe('dashboard readers', () => {
  it('copy only the named fields', () => {
    expect(readSalesSummary(summary)).toEqual({
      currency: 'EUR',
      referenceDate: '2026-03-01T12:00:00.000Z',
      today: { orders: 2, revenue: 10.5 },
      last7Days: { orders: 9, revenue: 99 },
      last30Days: { orders: 30, revenue: 1000 },
      byStatus: { pending: 3, shipped: 27 },
    });
    expect(readStockAlert(alert)).toEqual({ sku: 'SKU-00025', name: 'n', stock: 0, warehouse: { id: 'W1', name: 'North', location: 'Leeds' } });
  });

  it.each([
    ['a summary without today', () => readAs('sales', { ...summary, today: undefined }, readSalesSummary)],
    ['a summary whose revenue is a string', () => readAs('sales', { ...summary, last7Days: { orders: 1, revenue: '9' } }, readSalesSummary)],
    ['a summary whose byStatus holds a string', () => readAs('sales', { ...summary, byStatus: { pending: 'x' } }, readSalesSummary)],
    ['an alert without warehouse', () => readAs('inventory', { ...alert, warehouse: null }, readStockAlert)],
    ['an alert whose stock is not a number', () => readAs('inventory', { ...alert, stock: '0' }, readStockAlert)],
  ])('%s is a 502 bad response naming the upstream', (_label, read) => {
    let thrown: unknown;
    try {
      read();
    } catch (error) {
      thrown = error;
    }
    expect(isUpstreamError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ status: 502, detail: expect.stringMatching(/^(sales|inventory) answered with an unexpected shape$/) });
  });
});
