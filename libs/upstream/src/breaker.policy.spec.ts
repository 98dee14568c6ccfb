import { UpstreamError, isUpstreamError } from '@frontdoor/errors';
import { UpstreamBreaker } from './breaker.policy';
import { CancelSignal } from './cancel.signal';
import { UpstreamAbortedError, isCircuitOpen } from './upstream.errors';

/** The breaker is a state machine over time: fake timers (and a fake Date, which cockatiel reads). */
describe('UpstreamBreaker (state machine)', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  const failure = () => Promise.reject(new UpstreamError('payroll', 'unavailable', 'payroll is unavailable'));
  const ok = () => Promise.resolve({ status: 200 });
  const status = (code: number) => () => Promise.resolve({ status: code });

  async function outcome(breaker: UpstreamBreaker, attempt: () => Promise<unknown>, caller?: CancelSignal): Promise<string> {
    try {
      const value = (await breaker.execute(attempt, caller)) as { status: number };
      return `ok ${value.status}`;
    } catch (error) {
      if (isCircuitOpen(error)) return `open ${(error as UpstreamError).headers['Retry-After']}`;
      return isUpstreamError(error) ? `failed ${error.status}` : `error ${(error as Error).name}`;
    }
  }

  type Trial = ReturnType<typeof deferred<{ status: number }>>;

  function deferred<T>() {
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  }

  async function openIt(breaker: UpstreamBreaker, failures = 5): Promise<void> {
    for (let i = 0; i < failures; i++) expect(await outcome(breaker, failure)).toBe('failed 503');
    expect(breaker.state).toBe('open');
  }

  it('opens after 5 consecutive failures (a success in between resets the count)', async () => {
    const breaker = new UpstreamBreaker('payroll');
    for (let i = 0; i < 4; i++) await outcome(breaker, failure);
    await outcome(breaker, ok);
    for (let i = 0; i < 4; i++) await outcome(breaker, failure);
    expect(breaker.state).toBe('closed');
    expect(await outcome(breaker, failure)).toBe('failed 503');
    expect(breaker.state).toBe('open');
  });

  it('counts 5xx answers (returned as they are), not 4xx answers nor caller aborts', async () => {
    const breaker = new UpstreamBreaker('payroll', { failures: 2 });
    expect(await outcome(breaker, status(404))).toBe('ok 404');
    expect(await outcome(breaker, () => Promise.reject(new UpstreamAbortedError('payroll', undefined)))).toBe('error AbortError');
    expect(await outcome(breaker, status(422))).toBe('ok 422');
    expect(breaker.state).toBe('closed');
    expect(await outcome(breaker, status(500))).toBe('ok 500');
    expect(await outcome(breaker, status(502))).toBe('ok 502');
    expect(breaker.state).toBe('open');
  });

  it('while open fails fast with Retry-After counting down, without calling the upstream', async () => {
    const breaker = new UpstreamBreaker('payroll', { halfOpenAfterMs: 10_000 });
    await openIt(breaker);
    const attempt = jest.fn(ok);
    expect(await outcome(breaker, attempt)).toBe('open 10');
    jest.advanceTimersByTime(4_500);
    expect(await outcome(breaker, attempt)).toBe('open 6');
    jest.advanceTimersByTime(5_400);
    expect(await outcome(breaker, attempt)).toBe('open 1');
    expect(attempt).not.toHaveBeenCalled();
  });

  it('half-opens after 10 s: ONE trial goes through, concurrent calls fail fast; success closes', async () => {
    const breaker = new UpstreamBreaker('payroll');
    await openIt(breaker);
    jest.advanceTimersByTime(10_000);
    const trial = deferred<{ status: number }>();
    const attempts = jest.fn(() => trial.promise);
    const first = outcome(breaker, attempts);
    expect(breaker.state).toBe('half-open');
    const others = await Promise.all([outcome(breaker, attempts), outcome(breaker, attempts), outcome(breaker, attempts)]);
    expect(others).toEqual(['open 1', 'open 1', 'open 1']);
    expect(attempts).toHaveBeenCalledTimes(1);
    trial.resolve({ status: 200 });
    expect(await first).toBe('ok 200');
    expect(breaker.state).toBe('closed');
    expect(await outcome(breaker, ok)).toBe('ok 200');
  });

  it('a failed trial opens the circuit again for another 10 s', async () => {
    const breaker = new UpstreamBreaker('payroll');
    await openIt(breaker);
    jest.advanceTimersByTime(10_000);
    expect(await outcome(breaker, status(503))).toBe('ok 503');
    expect(breaker.state).toBe('open');
    expect(await outcome(breaker, ok)).toBe('open 10');
  });

  it('tells the attempt whether it is the half-open trial', async () => {
    const breaker = new UpstreamBreaker('payroll');
    const told: boolean[] = [];
    const attempt = (trial: boolean) => (told.push(trial), Promise.resolve({ status: 200 }));
    await breaker.execute(attempt);
    await openIt(breaker);
    jest.advanceTimersByTime(10_000);
    await breaker.execute(attempt); // the trial: closes the circuit
    await breaker.execute(attempt);
    expect(told).toEqual([false, true, false]);
  });

  it.each([
    ['a 200 closes it', (trial: Trial) => trial.resolve({ status: 200 }), 'closed'],
    ['a failure reopens it (and is no unhandled rejection)', (trial: Trial) => trial.reject(new UpstreamError('payroll', 'timeout', 'payroll timed out')), 'open'],
  ] as const)('a trial whose caller leaves: the caller is answered at once, the trial runs on, and %s', async (_label, settleTrial, state) => {
    const breaker = new UpstreamBreaker('payroll');
    await openIt(breaker);
    jest.advanceTimersByTime(10_000);
    const trial = deferred<{ status: number }>();
    const caller = new CancelSignal();
    const call = outcome(breaker, () => trial.promise, caller);
    caller.abort(new Error('the client went away'));
    expect(await call).toBe('error AbortError');
    expect(breaker.state).toBe('half-open'); // still running: its answer decides
    settleTrial(trial);
    for (let i = 0; i < 20 && breaker.state !== state; i++) await Promise.resolve(); // cockatiel settles in a few ticks
    expect(breaker.state).toBe(state);
  });

  it('a trial that reports an abort all the same counts as failed (it proves nothing)', async () => {
    const breaker = new UpstreamBreaker('payroll');
    await openIt(breaker);
    jest.advanceTimersByTime(10_000);
    await outcome(breaker, () => Promise.reject(new UpstreamAbortedError('payroll', undefined)));
    expect(breaker.state).toBe('open');
  });

  it.each([
    [{ failures: 0 }],
    [{ halfOpenAfterMs: 0 }],
    [{ failures: 2.5 }],
  ])('refuses settings %j', (options) => {
    expect(() => new UpstreamBreaker('payroll', options)).toThrow(RangeError);
  });
});
