import type { Logger } from 'pino';
import { RepeatedWarnings } from './repeated-warnings';

describe('RepeatedWarnings', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const setUp = (maxKinds = 100) => {
    const warn = jest.fn();
    return { warn, warnings: new RepeatedWarnings({ warn } as unknown as Logger, 10_000, maxKinds) };
  };
  const fields = (reqId: string, cause = 'Error: connect ECONNREFUSED') => ({ reqId, upstream: 'sales', failure: 'unavailable', cause });

  it('writes the first warning of a kind, counts the repeats, and says how many when the window closes', () => {
    const { warn, warnings } = setUp();
    for (let i = 1; i <= 50; i++) warnings.warn('sales|unavailable', fields(`r${i}`), 'sales is unavailable');
    expect(warn.mock.calls).toEqual([[fields('r1'), 'sales is unavailable']]);
    jest.advanceTimersByTime(10_000);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]).toEqual([
      { upstream: 'sales', failure: 'unavailable', cause: 'Error: connect ECONNREFUSED', repeated: 49, windowS: 10 },
      'sales is unavailable (49 more like this in 10 s)',
    ]);
    // a new window: the next one is written again, with its own request id
    warnings.warn('sales|unavailable', fields('r51'), 'sales is unavailable');
    expect(warn.mock.calls[2]).toEqual([fields('r51'), 'sales is unavailable']);
  });

  it('writes no summary for a warning that did not repeat, and keeps kinds apart', () => {
    const { warn, warnings } = setUp();
    warnings.warn('a', fields('r1'), 'sales is unavailable');
    warnings.warn('b', fields('r2', 'Error: socket hang up'), 'sales is unavailable');
    jest.advanceTimersByTime(10_000);
    expect(warn.mock.calls.map(([f]) => (f as { reqId: string }).reqId)).toEqual(['r1', 'r2']);
  });

  it('flush (the app closing) writes the summaries still pending, with the seconds counted, and closes the windows', () => {
    const { warn, warnings } = setUp();
    for (let i = 1; i <= 4; i++) warnings.warn('a', fields(`r${i}`), 'sales is unavailable');
    warnings.warn('b', fields('r5', 'Error: socket hang up'), 'sales is unavailable');
    jest.advanceTimersByTime(2_500);
    warnings.flush();
    expect(warn.mock.calls.slice(2)).toEqual([
      [{ upstream: 'sales', failure: 'unavailable', cause: 'Error: connect ECONNREFUSED', repeated: 3, windowS: 2.5 }, 'sales is unavailable (3 more like this in 2.5 s)'],
    ]);
    jest.advanceTimersByTime(10_000);
    expect(warn).toHaveBeenCalledTimes(3);
  });

  it('past maxKinds kinds at once, writes each warning as it comes rather than holding more', () => {
    const { warn, warnings } = setUp(2);
    for (const kind of ['a', 'b', 'c', 'c']) warnings.warn(kind, fields(kind), 'm');
    expect(warn).toHaveBeenCalledTimes(4);
  });
});
