import type { Employee } from './employees.seed';
import { Seeded } from './seed';

/**
 * A salary as payroll serves it, every value a string exactly as written in the XML. `bankAccount` keeps its leading
 * zeros (a parser that turns it into a number corrupts it) and, like `iban`, must never leave a gateway.
 */
export interface SalaryRecord {
  employeeId: string;
  base: string;
  currency: 'EUR';
  bonus: string;
  bankAccount: string;
  iban: string;
}

const BANK_CODES = ['10070000', '20040000', '37040044', '50010517', '70020270'] as const;

/** ISO 13616 check digits for a German IBAN over an 18-digit BBAN. */
function germanIban(bban: string): string {
  const numeric = `${bban}131400`; // "DE00" moved to the end, letters as numbers (D=13, E=14)
  const check = 98 - Number(BigInt(numeric) % 97n);
  return `DE${String(check).padStart(2, '0')}${bban}`;
}

/**
 * Odd-numbered employees (E0001, E0003, …) have a bank account with at least two leading zeros; the others start
 * with a non-zero digit, so both cases are always present.
 */
function bankAccountFor(index: number, rng: Seeded): string {
  return index % 2 === 0 ? `00${rng.digits(8)}` : `${rng.int(1, 9)}${rng.digits(9)}`;
}

/** One salary per employee, in employee order, identical on every call. */
export function seedSalaries(employees: readonly Employee[]): SalaryRecord[] {
  const rng = new Seeded(0x5a1a_0003);
  return employees.map((employee, index) => {
    const senior = employee.managerId === null || employee.managerId === 'E0001';
    const bankAccount = bankAccountFor(index, rng);
    return {
      employeeId: employee.id,
      base: rng.money(senior ? 8000 : 2600, senior ? 14000 : 7800).toFixed(2),
      currency: 'EUR',
      bonus: (rng.int(0, 30) * 50).toFixed(2),
      bankAccount,
      iban: germanIban(`${rng.pick(BANK_CODES)}${bankAccount}`),
    };
  });
}
