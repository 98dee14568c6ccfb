import { Injectable } from '@nestjs/common';
import { HrClient, PayrollClient, type CallContext } from '@frontdoor/backends';
import { canSeeSalary, toEmployeeProfile, type EmployeeProfile } from './employee-profile.shape';

/**
 * Employee profile = hr (JSON) + payroll (XML), fetched in parallel. Payroll is asked only when the caller may
 * see salaries: a request that cannot show a field does not pay for fetching it.
 */
@Injectable()
export class EmployeesService {
  constructor(
    private readonly hr: HrClient,
    private readonly payroll: PayrollClient,
  ) {}

  async loadProfile(id: string, roles: readonly string[], ctx: CallContext): Promise<EmployeeProfile> {
    const [employee, salary] = await Promise.all([
      this.hr.getEmployee(id, ctx),
      canSeeSalary(roles) ? this.payroll.getSalary(id, ctx) : Promise.resolve(undefined),
    ]);
    return toEmployeeProfile(employee, salary, roles);
  }
}
