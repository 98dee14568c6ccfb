import { sequenceId } from './seed';

/** Every seeded employee id, `E0001`…`E0200` (hr and payroll know exactly these). */
export const DEMO_EMPLOYEE_IDS: readonly string[] = Object.freeze(
  Array.from({ length: 200 }, (_, i) => sequenceId('E', i + 1, 4)),
);

/** Every seeded customer id, `C0001`…`C0150`. */
export const DEMO_CUSTOMER_IDS: readonly string[] = Object.freeze(
  Array.from({ length: 150 }, (_, i) => sequenceId('C', i + 1, 4)),
);

/**
 * Seeded ids with a known property, fixed by construction (not by luck of the PRNG), for tests and docs.
 */
export const DEMO_IDS = Object.freeze({
  /** In stock (≥ 10). */
  sku: 'SKU-00001',
  /** Stock 0: every 25th product. */
  outOfStockSku: 'SKU-00025',
  /** Stock 1–9: products 12–14 of every 25. */
  lowStockSku: 'SKU-00012',
  unknownSku: 'SKU-99999',
  /** The CEO: `managerId` null. Its payroll bank account has leading zeros (as every odd-numbered employee's). */
  employee: 'E0001',
  /** Reports to E0001; its bank account starts with a non-zero digit (as every even-numbered employee's). */
  employeeWithoutLeadingZeros: 'E0002',
  unknownEmployee: 'E9999',
  customer: 'C0001',
  unknownCustomer: 'C9999',
  /** Partner orders: O-00001, O-00005, … belong to acme; O-00002, O-00008, … to globex; O-00003 to no partner. */
  acmeOrder: 'O-00001',
  globexOrder: 'O-00002',
  directOrder: 'O-00003',
  /** The newest seeded order (created one hour before the reference date). */
  newestOrder: 'O-00300',
  unknownOrder: 'O-99999',
});
