import type { Employee, PayrollRecord } from '@frontdoor/backends';
import { toEmployeeProfile } from './employee-profile.shape';

const hr: Employee = {
  id: 'E0001',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  department: 'Engineering',
  title: 'CTO',
  managerId: null,
  hiredAt: '2020-01-01',
  phone: '+44 1',
  address: { street: '1 Secret Lane', city: 'London', postcode: 'N1', country: 'GB' },
};
const pay: PayrollRecord = { employeeId: 'E0001', base: 9000.5, bonus: 1000, currency: 'EUR', bankAccount: '0012345678' };

describe('toEmployeeProfile', () => {
  it.each([
    [['finance'], true, true],
    [['admin'], true, true],
    [['hr', 'finance'], true, true],
    [['hr'], true, false],
    [['sales', 'warehouse'], true, false],
    [[], true, false],
    [['finance'], false, false],
    [['Finance'], true, false],
  ])('roles %j with payroll %s → salary shown: %s', (roles, withPay, shown) => {
    const profile = toEmployeeProfile(hr, withPay ? pay : undefined, roles);
    expect('salary' in profile).toBe(shown);
    if (shown) expect(profile.salary).toEqual({ base: 9000.5, bonus: 1000, currency: 'EUR' });
  });

  it('copies nothing it does not name, whatever the upstream adds', () => {
    const hostile = { ...hr, nationalId: 'AB123', homeNotes: 'secret', password: 'p', __internal: 1 } as Employee;
    const hostilePay = { ...pay, iban: 'DE00 0012 3456 78', routing: 'x' } as PayrollRecord;
    const text = JSON.stringify(toEmployeeProfile(hostile, hostilePay, ['admin']));
    expect(text).not.toMatch(/AB123|secret|"p"|__internal|0012345678|DE00|routing|Secret Lane|bankAccount/);
  });
});
