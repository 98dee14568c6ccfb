import { Controller, Get, Header, Param, Req } from '@nestjs/common';
import { callContextOf, principalOf } from '@frontdoor/platform';
import { Roles } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import type { EmployeeProfile } from './employee-profile.shape';
import { EmployeesService } from './employees.service';

@Controller('api/employees')
export class EmployeesController {
  constructor(private readonly employees: EmployeesService) {}

  /**
   * Salary fields only for finance/admin (field-level RBAC in `toEmployeeProfile`); never the bank account. Personal
   * data is never cached (as on the hr and payroll rows): `no-store`, which a degraded answer's own repeats.
   */
  @Get(':id')
  @Roles('admin', 'finance', 'hr')
  @Header('Cache-Control', 'no-store')
  profile(@Param('id') id: string, @Req() request: FastifyRequest): Promise<EmployeeProfile> {
    return this.employees.loadProfile(id, principalOf(request).roles, callContextOf(request));
  }
}
