import { quotaDay } from './quota.store';

describe('quotaDay (computed once per UTC day, whatever order the clock is read in)', () => {
  it.each([
    ['mid-day', '2026-11-23T12:00:00.000Z', '2026-11-23', 12 * 3600],
    ['the first millisecond of a day', '2026-11-24T00:00:00.000Z', '2026-11-24', 24 * 3600],
    ['the last second of a day', '2026-11-23T23:59:59.000Z', '2026-11-23', 1],
    ['the last millisecond (at least 1 s)', '2026-11-23T23:59:59.999Z', '2026-11-23', 1],
    ['back to an earlier day', '2026-11-22T06:00:00.000Z', '2026-11-22', 18 * 3600],
    ['a leap day', '2028-02-29T18:00:00.000Z', '2028-02-29', 6 * 3600],
    ['the turn of a year', '2026-12-31T23:00:00.000Z', '2026-12-31', 3600],
    ['and the next year', '2027-01-01T01:00:00.000Z', '2027-01-01', 23 * 3600],
  ])('%s', (_label, iso, day, secondsLeft) => {
    expect(quotaDay(Date.parse(iso))).toEqual({ day, secondsLeft });
  });
});
