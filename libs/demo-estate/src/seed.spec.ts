import { DEMO_CUSTOMER_IDS, DEMO_EMPLOYEE_IDS, DEMO_IDS } from './demo-ids';
import { seedCustomers } from './customers.seed';
import { seedEmployees } from './employees.seed';
import { seedOrders } from './orders.seed';
import { seedProducts } from './products.seed';
import { seedSalaries } from './salaries.seed';
import { mulberry32 } from './seed';

describe('seeded data', () => {
  const products = seedProducts();
  const employees = seedEmployees();
  const salaries = seedSalaries(employees);
  const customers = seedCustomers();
  const orders = seedOrders(products);

  it('is identical on every call', () => {
    expect(seedProducts()).toEqual(products);
    expect(seedEmployees()).toEqual(employees);
    expect(seedSalaries(seedEmployees())).toEqual(salaries);
    expect(seedCustomers()).toEqual(customers);
    expect(seedOrders(seedProducts())).toEqual(orders);
    expect([mulberry32(7)(), mulberry32(7)()]).toEqual([mulberry32(7)(), mulberry32(7)()]);
  });

  it.each([
    ['products', products.map((p) => p.sku), 500, 'SKU-00001', 'SKU-00500'],
    ['employees', employees.map((e) => e.id), 200, 'E0001', 'E0200'],
    ['customers', customers.map((c) => c.id), 150, 'C0001', 'C0150'],
    ['orders', orders.map((o) => o.id), 300, 'O-00001', 'O-00300'],
  ])('has %s with sequential unique ids', (_name, ids, count, first, last) => {
    expect(ids).toHaveLength(count);
    expect(new Set(ids).size).toBe(count);
    expect([ids[0], ids[ids.length - 1]]).toEqual([first, last]);
  });

  it('exports the ids the services hold', () => {
    expect(DEMO_EMPLOYEE_IDS).toEqual(employees.map((e) => e.id));
    expect(DEMO_CUSTOMER_IDS).toEqual(customers.map((c) => c.id));
  });

  it('builds rich products with internal fields and low stock', () => {
    for (const p of products) {
      expect(Math.round(p.price * 100) / 100).toBe(p.price);
      expect(p.images.length).toBeGreaterThanOrEqual(3);
      expect(p.images.length).toBeLessThanOrEqual(5);
      expect(p.images[0]?.kind).toBe('thumbnail');
      expect(p.images.every((i) => i.url.startsWith('https://cdn.example.com/'))).toBe(true);
      expect(p.costPrice).toBeLessThan(p.price);
      expect(Date.parse(p.updatedAt)).toBeGreaterThan(Date.parse(p.createdAt));
    }
    const bySku = new Map(products.map((p) => [p.sku, p]));
    expect(bySku.get(DEMO_IDS.sku)?.stock).toBeGreaterThanOrEqual(10);
    expect(bySku.get(DEMO_IDS.outOfStockSku)?.stock).toBe(0);
    expect(bySku.get(DEMO_IDS.lowStockSku)?.stock).toBeGreaterThan(0);
    expect(bySku.get(DEMO_IDS.lowStockSku)?.stock).toBeLessThan(10);
  });

  it('gives both partners several orders priced from real products', () => {
    const bySku = new Map(products.map((p) => [p.sku, p]));
    expect(orders.filter((o) => o.partnerId === 'acme').length).toBeGreaterThan(10);
    expect(orders.filter((o) => o.partnerId === 'globex').length).toBeGreaterThan(10);
    expect(orders.find((o) => o.id === DEMO_IDS.acmeOrder)?.partnerId).toBe('acme');
    expect(orders.find((o) => o.id === DEMO_IDS.globexOrder)?.partnerId).toBe('globex');
    expect(orders.find((o) => o.id === DEMO_IDS.directOrder)?.partnerId).toBeNull();
    for (const o of orders)
      for (const item of o.items) expect(bySku.get(item.sku)?.price).toBe(item.unitPrice);
    const times = orders.map((o) => Date.parse(o.createdAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('keeps bank accounts as strings, often with leading zeros, and valid IBANs', () => {
    expect(salaries.filter((s) => s.bankAccount.startsWith('0')).length).toBeGreaterThanOrEqual(100);
    expect(salaries[0]?.bankAccount).toMatch(/^00\d{8}$/);
    expect(salaries[1]?.bankAccount).toMatch(/^[1-9]\d{9}$/);
    for (const s of salaries) {
      expect(s.base).toMatch(/^\d+\.\d{2}$/);
      const rearranged = `${s.iban.slice(4)}1314${s.iban.slice(2, 4)}`;
      expect(BigInt(rearranged) % 97n).toBe(1n);
    }
  });

  it('managers exist, and only the CEO has none', () => {
    const ids = new Set(employees.map((e) => e.id));
    expect(employees.filter((e) => e.managerId === null).map((e) => e.id)).toEqual([DEMO_IDS.employee]);
    expect(employees.every((e) => e.managerId === null || ids.has(e.managerId))).toBe(true);
    expect(new Set(employees.map((e) => e.email)).size).toBe(employees.length);
  });
});
