// Check outcomes and the final table. NOT AVAILABLE means the feature a check needs is not in the apps yet: it is
// never counted as passed.

export const PASS = 'PASS';
export const FAIL = 'FAIL';
export const NOT_AVAILABLE = 'NOT AVAILABLE';

/** Thrown by a check whose prerequisite is missing from the apps (reported as NOT AVAILABLE, with the reason). */
export class NotAvailable extends Error {}

/** Thrown by a check that ran and found the behaviour wrong (reported as FAIL, with what it saw). */
export class CheckFailed extends Error {}

export function printTable(results, log = console.log) {
  const width = Math.max(...results.map((r) => r.name.length), 5);
  log('');
  log(`${'check'.padEnd(width)}  ${'result'.padEnd(13)}  detail`);
  log(`${'-'.repeat(width)}  ${'-'.repeat(13)}  ${'-'.repeat(40)}`);
  for (const r of results) log(`${r.name.padEnd(width)}  ${r.status.padEnd(13)}  ${r.detail}`);
  const count = (s) => results.filter((r) => r.status === s).length;
  log('');
  log(`${count(PASS)} passed, ${count(FAIL)} failed, ${count(NOT_AVAILABLE)} not available`);
}

/** 0 all passed; 1 any failed; 2 nothing failed but some checks could not run yet. */
export function exitCode(results) {
  if (results.some((r) => r.status === FAIL)) return 1;
  return results.some((r) => r.status === NOT_AVAILABLE) ? 2 : 0;
}
