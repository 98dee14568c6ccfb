import type { Degraded } from '@frontdoor/aggregation';
import type { Employee, PayrollRecord } from '@frontdoor/backends';

/** Roles that see salary fields (field-level RBAC, PRODUCT.md). */
export const SEES_SALARY: ReadonlySet<string> = new Set(['finance', 'admin']);

export interface EmployeeProfile {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly title: string;
  readonly department: string;
  readonly managerId: string | null;
  readonly hiredAt: string;
  readonly phone: string;
  readonly office: { readonly city: string; readonly country: string };
  readonly salary?: { readonly base: number; readonly bonus: number; readonly currency: string };
  /** Set (with `X-Degraded: partial`) when the caller may see the salary but payroll could not answer. */
  readonly degraded?: Degraded;
}

export function canSeeSalary(roles: readonly string[]): boolean {
  return roles.some((role) => SEES_SALARY.has(role));
}

/**
 * The web employee profile. Copies named fields only, so a new upstream field can never leak by default; the
 * salary appears (as a key at all) only for finance/admin; the bank account is never copied.
 */
export function toEmployeeProfile(hr: Employee, pay: PayrollRecord | undefined, roles: readonly string[]): EmployeeProfile {
  const profile: EmployeeProfile = {
    id: hr.id,
    name: hr.name,
    email: hr.email,
    title: hr.title,
    department: hr.department,
    managerId: hr.managerId,
    hiredAt: hr.hiredAt,
    phone: hr.phone,
    office: { city: hr.address.city, country: hr.address.country },
  };
  if (!pay || !canSeeSalary(roles)) return profile;
  return Object.assign({}, profile, { salary: { base: pay.base, bonus: pay.bonus, currency: pay.currency } });
}
