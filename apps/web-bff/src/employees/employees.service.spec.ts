import { UpstreamError } from '@frontdoor/errors';
import { degradedOf } from '@frontdoor/aggregation';
import type { Employee, HrClient, PayrollClient, PayrollRecord } from '@frontdoor/backends';
import { EmployeesService } from './employees.service';

const employee: Employee = {
  id: 'E0001', name: 'Ada', email: 'a@x', department: 'Eng', title: 'CTO', managerId: null, hiredAt: '2020-01-01', phone: '1',
  address: { street: 's', city: 'London', postcode: 'N1', country: 'GB' },
};
const pay: PayrollRecord = { employeeId: 'E0001', base: 9000, bonus: 10, currency: 'EUR', bankAccount: '0012' };
const down = new UpstreamError('payroll', 'unavailable', 'payroll is unavailable');

/** Fakes of the two backend clients (the port is the class's public method). */
function service(hr: () => Promise<Employee>, payroll: () => Promise<PayrollRecord>) {
  const payrollCalls: number[] = [];
  const budgets: Record<string, number | undefined> = {};
  const svc = new EmployeesService(
    { getEmployee: (_id: string, ctx: { deadlineMs?: number }) => ((budgets['hr'] = ctx.deadlineMs), hr()) } as unknown as HrClient,
    { getSalary: (_id: string, ctx: { deadlineMs?: number }) => (payrollCalls.push(1), (budgets['payroll'] = ctx.deadlineMs), payroll()) } as unknown as PayrollClient,
    1000,
  );
  return { svc, payrollCalls, budgets };
}

describe('EmployeesService (hr required, payroll optional)', () => {
  it.each([
    ['finance, payroll up', ['finance'], () => Promise.resolve(pay), true, undefined],
    ['finance, payroll down', ['finance'], () => Promise.reject(down), false, { reason: 'partial', missing: ['salary'] }],
    ['hr, payroll down (never asked)', ['hr'], () => Promise.reject(down), false, undefined],
  ])('%s → salary %s, degraded %j', async (_label, roles, payroll, hasSalary, degraded) => {
    const { svc, payrollCalls } = service(() => Promise.resolve(employee), payroll);
    const profile = await svc.loadProfile('E0001', roles, { headers: {} });
    expect('salary' in profile).toBe(hasSalary);
    expect(degradedOf(profile)).toEqual(degraded);
    expect(profile.degraded).toEqual(degraded);
    expect(payrollCalls).toHaveLength(roles.includes('finance') ? 1 : 0);
  });

  it('fails with hr’s own error when hr fails', async () => {
    const { svc } = service(() => Promise.reject(new UpstreamError('hr', 'timeout', 'hr did not answer within 1000 ms')), () => Promise.resolve(pay));
    await expect(svc.loadProfile('E0001', ['admin'], { headers: {} })).rejects.toMatchObject({ status: 504, upstream: 'hr' });
  });

  it('gives payroll 85% of the route budget, hr all of it', async () => {
    const { svc, budgets } = service(() => Promise.resolve(employee), () => Promise.resolve(pay));
    await svc.loadProfile('E0001', ['admin'], { headers: {} });
    expect(budgets).toEqual({ hr: 1000, payroll: 850 });
  });
});
