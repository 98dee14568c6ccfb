import { personName, phoneNumber, postalAddress, uniqueEmail, type PostalAddress } from './people.seed';
import { DAY_MS, Seeded, isoBeforeReference, sequenceId } from './seed';

/** An employee as hr serves it. `nationalId` and `homeNotes` are sensitive: a gateway must never pass them. */
export interface Employee {
  id: string;
  name: string;
  email: string;
  department: string;
  title: string;
  managerId: string | null;
  hiredAt: string;
  phone: string;
  address: PostalAddress;
  nationalId: string;
  homeNotes: string;
}

/** How many employees hr holds. */
export const EMPLOYEE_COUNT = 200;

/** Department heads are E0002…E0007 (managed by the CEO, E0001); everyone else reports to their department's head. */
const DEPARTMENTS = [
  {
    name: 'Engineering',
    head: 'VP Engineering',
    titles: ['Software Engineer', 'Senior Software Engineer', 'QA Engineer', 'SRE'],
  },
  { name: 'Finance', head: 'CFO', titles: ['Accountant', 'Controller', 'Financial Analyst'] },
  {
    name: 'Human Resources',
    head: 'Head of People',
    titles: ['HR Partner', 'Recruiter', 'Payroll Specialist'],
  },
  { name: 'Sales', head: 'VP Sales', titles: ['Account Executive', 'Sales Manager', 'Partner Manager'] },
  {
    name: 'Warehouse',
    head: 'Head of Logistics',
    titles: ['Warehouse Operator', 'Shift Lead', 'Inventory Planner'],
  },
  { name: 'Marketing', head: 'CMO', titles: ['Content Marketer', 'Brand Designer', 'Growth Analyst'] },
] as const;
const HOME_NOTES = [
  'Emergency contact: partner, reachable evenings only.',
  'Requested ergonomic chair after back surgery.',
  'On reduced hours until further notice for family reasons.',
  'Lives with two dogs; prefers remote Fridays.',
] as const;

function placementOf(
  n: number,
  rng: Seeded,
): { department: string; title: string; managerId: string | null } {
  if (n === 1) return { department: 'Executive', title: 'Chief Executive Officer', managerId: null };
  if (n <= 1 + DEPARTMENTS.length) {
    const dept = DEPARTMENTS[n - 2] as (typeof DEPARTMENTS)[number];
    return { department: dept.name, title: dept.head, managerId: 'E0001' };
  }
  const index = n % DEPARTMENTS.length;
  const dept = DEPARTMENTS[index] as (typeof DEPARTMENTS)[number];
  return { department: dept.name, title: rng.pick(dept.titles), managerId: sequenceId('E', index + 2, 4) };
}

/** The 200 seeded employees, `E0001`…`E0200`, identical on every call. */
export function seedEmployees(): Employee[] {
  const rng = new Seeded(0x4e_0002);
  const emails = new Set<string>();
  return Array.from({ length: EMPLOYEE_COUNT }, (_, i) => {
    const n = i + 1;
    const name = personName(rng);
    const address = postalAddress(rng);
    return {
      id: sequenceId('E', n, 4),
      name: name.full,
      email: uniqueEmail(name.first, name.last, 'corp.example', emails),
      ...placementOf(n, rng),
      hiredAt: isoBeforeReference(rng.int(60, 15 * 365) * DAY_MS).slice(0, 10),
      phone: phoneNumber(rng, address.country),
      address,
      nationalId: `${address.country}${rng.digits(9)}`,
      homeNotes: rng.pick(HOME_NOTES),
    };
  });
}
