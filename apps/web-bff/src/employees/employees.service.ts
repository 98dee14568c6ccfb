import { Inject, Injectable } from '@nestjs/common';
import { asDegraded, gather, optional, partialOf, required } from '@frontdoor/aggregation';
import { HrClient, PayrollClient, withDeadline, type CallContext } from '@frontdoor/backends';
import { ROUTE_BUDGET_MS } from '../app/web.tokens';
import { canSeeSalary, toEmployeeProfile, type EmployeeProfile } from './employee-profile.shape';

/**
 * Employee profile = hr (JSON, required) + payroll (XML, optional), fetched in parallel. Payroll is asked only when
 * the caller may see salaries: a request that cannot show a field does not pay for fetching it. When payroll fails
 * the profile still answers, without salary, marked degraded (`partial`, missing `salary`).
 */
@Injectable()
export class EmployeesService {
  constructor(
    private readonly hr: HrClient,
    private readonly payroll: PayrollClient,
    @Inject(ROUTE_BUDGET_MS) private readonly budgetMs: number,
  ) {}

  /** @throws hr's own error (404, 502/503/504…) when hr fails */
  async loadProfile(id: string, roles: readonly string[], ctx: CallContext): Promise<EmployeeProfile> {
    const seesSalary = canSeeSalary(roles);
    const { values, missing } = await gather(
      {
        employee: required(({ deadlineMs }) => this.hr.getEmployee(id, withDeadline(ctx, deadlineMs))),
        salary: optional(({ deadlineMs }) => (seesSalary ? this.payroll.getSalary(id, withDeadline(ctx, deadlineMs)) : Promise.resolve(undefined))),
      },
      { budgetMs: this.budgetMs },
    );
    const profile = toEmployeeProfile(values.employee, values.salary, roles);
    const degraded = partialOf(missing);
    return degraded === undefined ? profile : asDegraded(profile, degraded);
  }
}
