import { isUpstreamError } from '@frontdoor/errors';
import { readAs } from './decode';
import { readEmployee } from './hr.client';
import { readProduct } from './inventory.client';
import { readPayrollRecord } from './payroll.client';

const product = {
  sku: 'SKU-1', name: 'n', description: 'd', price: 1.5, currency: 'EUR', stock: 3,
  warehouse: { id: 'W', name: 'N', location: 'L' },
  images: [{ url: 'u', kind: 'thumbnail', width: 1, height: 1 }],
  tags: ['t'], supplier: { id: 'S', name: 'SN', contactEmail: 'x@y' }, createdAt: 'c', updatedAt: 'u',
  costPrice: 0.5, internalNotes: 'secret',
};
const employee = {
  id: 'E1', name: 'n', email: 'e', department: 'd', title: 't', managerId: null, hiredAt: 'h', phone: 'p',
  address: { street: 's', city: 'c', postcode: 'p', country: 'DE' }, nationalId: 'X',
};

describe('backend readers', () => {
  it('copy only the fields of the domain type', () => {
    expect(JSON.stringify(readProduct(product))).not.toMatch(/costPrice|secret|contactEmail/);
    expect(JSON.stringify(readEmployee(employee))).not.toMatch(/nationalId/);
  });

  it.each([
    ['a product without sku', () => readAs('inventory', { ...product, sku: undefined }, readProduct)],
    ['a product whose price is a string', () => readAs('inventory', { ...product, price: '1.5' }, readProduct)],
    ['a product whose images are not a list', () => readAs('inventory', { ...product, images: {} }, readProduct)],
    ['an employee that is an array', () => readAs('hr', [employee], readEmployee)],
    ['an employee without address', () => readAs('hr', { ...employee, address: null }, readEmployee)],
    ['a payroll document without salary', () => readAs('payroll', { other: {} }, readPayrollRecord)],
    ['a payroll base that is not a decimal', () => readAs('payroll', { salary: { employeeId: 'E1', base: 'abc', bonus: '1', currency: 'EUR', bankAccount: '1' } }, readPayrollRecord)],
  ])('%s is a 502 bad response naming the upstream', (_label, read) => {
    let thrown: unknown;
    try {
      read();
    } catch (error) {
      thrown = error;
    }
    expect(isUpstreamError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ status: 502, failure: 'bad-response' });
  });

  it('types payroll strings explicitly and keeps the bank account exact', () => {
    const record = readPayrollRecord({ salary: { employeeId: 'E0001', base: '5234.50', bonus: '0.00', currency: 'EUR', bankAccount: '0012345678' } });
    expect(record).toEqual({ employeeId: 'E0001', base: 5234.5, bonus: 0, currency: 'EUR', bankAccount: '0012345678' });
  });
});
