import { faults, settle, type Stub, type StubHandler } from '@frontdoor/testing';
import type { CallerSignal } from './caller-signal.port';
import { CancelSignal } from './cancel.signal';
import { loopbackClients } from './testing/loopback-clients';
import type { UpstreamClient } from './upstream.client';
import { isUpstreamAbortedError } from './upstream.errors';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 5 ms, failing after `timeoutMs` (a bound for a broken build, not a latency assertion). */
async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  for (const start = Date.now(); !condition(); await sleep(5)) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
  }
}

/** A caller's signal and the way to abort it: the light CancelSignal or a real AbortController's. */
interface Source {
  readonly signal: CallerSignal;
  abort(reason: unknown): void;
}
const SOURCES: readonly [string, () => Source][] = [
  [
    'a CancelSignal',
    () => {
      const signal = new CancelSignal();
      return { signal, abort: (reason) => signal.abort(reason) };
    },
  ],
  [
    'an AbortSignal',
    () => {
      const controller = new AbortController();
      return { signal: controller.signal, abort: (reason) => controller.abort(reason) };
    },
  ],
];

/** An upstream that never answers and notes, per request, when it arrived and when its connection closed unanswered. */
function holding(): { handler: StubHandler; arrived: number[]; closedUnanswered: number[] } {
  const arrived: number[] = [];
  const closedUnanswered: number[] = [];
  const handler: StubHandler = (_req, res) => {
    arrived.push(performance.now());
    res.once('close', () => {
      if (!res.writableFinished) closedUnanswered.push(performance.now());
    });
  };
  return { handler, arrived, closedUnanswered };
}

describe('caller cancellation of upstream calls (real loopback stubs)', () => {
  const { stub, client, closeAll } = loopbackClients({ name: 'sales', defaultDeadlineMs: 3000 });

  afterEach(async () => {
    jest.restoreAllMocks();
    await closeAll();
  });

  it.each(SOURCES)('an abort of %s during the call closes the upstream request at once and rejects with UpstreamAbortedError', async (_name, make) => {
    const upstream = holding();
    const up = await stub(upstream.handler);
    const { signal, abort } = make();
    const call = settle(client([up.url]).request({ method: 'GET', path: '/orders', signal }));
    await waitFor(() => upstream.arrived.length === 1);
    const abortedAt = performance.now();
    abort(new Error('the client went away'));
    const outcome = await call;
    expect(outcome.ok).toBe(false);
    const error = outcome.ok ? undefined : outcome.error;
    expect(isUpstreamAbortedError(error)).toBe(true);
    expect(error).toMatchObject({ upstream: 'sales', cause: new Error('the client went away') });
    expect(performance.now() - abortedAt).toBeLessThan(300); // the deadline is 3 s
    // the upstream sees its request's connection closed before it answered, not at the deadline
    await waitFor(() => upstream.closedUnanswered.length === 1, 1000);
    expect((upstream.closedUnanswered[0] as number) - abortedAt).toBeLessThan(300);
  });

  /** An upstream whose first answer (500) opens the circuit, then `recovered` answers; returns once the trial is due. */
  async function dueForTrial(recovered: StubHandler): Promise<{ up: Stub; sales: UpstreamClient }> {
    let failing = true;
    const up = await stub((req, res, body) => (failing ? void res.writeHead(500, { 'content-type': 'application/json' }).end('{}') : recovered(req, res, body)));
    const sales = client([up.url], { retry: { maxAttempts: 1 }, breaker: { failures: 1, halfOpenAfterMs: 50 } });
    expect((await sales.request({ method: 'GET', path: '/orders' })).status).toBe(500);
    expect(sales.status().breaker).toBe('open');
    failing = false;
    await sleep(80); // the trial is due
    return { up, sales };
  }

  it.each(SOURCES)('a call made with %s already aborted is not sent, and a half-open circuit keeps its one trial for a real call', async (_name, make) => {
    const { up, sales } = await dueForTrial((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    const { signal, abort } = make();
    abort(new Error('the client went away'));
    const outcome = await settle(sales.request({ method: 'GET', path: '/orders', signal }));
    expect(isUpstreamAbortedError(outcome.ok ? undefined : outcome.error)).toBe(true);
    expect(up.requests).toHaveLength(1);
    // the cancelled call did not take the trial (and fail it): the next call is the trial, and closes the circuit
    expect((await sales.request({ method: 'GET', path: '/orders' })).status).toBe(200);
    expect(sales.status().breaker).toBe('closed');
  });

  it.each(SOURCES)('a half-open trial whose caller leaves with %s: the caller is answered at once, the trial runs on and its answer closes the circuit', async (_name, make) => {
    const arrived: number[] = [];
    const answered: number[] = [];
    const { up, sales } = await dueForTrial((_req, res) => {
      arrived.push(performance.now());
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}', () => answered.push(performance.now())), 150);
    });
    const { signal, abort } = make();
    const call = settle(sales.request({ method: 'GET', path: '/orders', signal }));
    await waitFor(() => arrived.length === 1);
    const abortedAt = performance.now();
    abort(new Error('the client went away'));
    const outcome = await call;
    expect(isUpstreamAbortedError(outcome.ok ? undefined : outcome.error)).toBe(true);
    expect(performance.now() - abortedAt).toBeLessThan(100); // not when the trial's answer comes (150 ms)
    expect(sales.status().breaker).toBe('half-open');
    // the upstream answers the trial on its connection (not closed under it), and its 200 closes the circuit
    await waitFor(() => answered.length === 1 && sales.status().breaker === 'closed', 2000);
    expect((await sales.request({ method: 'GET', path: '/orders' })).status).toBe(200);
    expect(up.requests).toHaveLength(3);
  });

  describe('retries', () => {
    it('an abort during an attempt ends the call: no further attempt starts', async () => {
      const upstream = holding();
      const up = await stub(upstream.handler);
      const { signal, abort } = SOURCES[0][1]();
      const call = settle(client([up.url], { retry: { maxAttempts: 3, baseDelayMs: 1 } }).request({ method: 'GET', path: '/orders', signal }));
      await waitFor(() => upstream.arrived.length === 1);
      abort(new Error('the client went away'));
      const outcome = await call;
      expect(isUpstreamAbortedError(outcome.ok ? undefined : outcome.error)).toBe(true);
      await sleep(100);
      expect(up.requests).toHaveLength(1);
    });

    it('an abort during the backoff ends the call at once: no further attempt starts', async () => {
      jest.spyOn(Math, 'random').mockReturnValue(0.9); // full jitter: a backoff of 900 ms before the second attempt
      const { signal, abort } = SOURCES[0][1]();
      // the first attempt answers 500 (retryable); the caller goes away as it is answered
      const up = await stub((_req, res) => {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{}');
        setTimeout(() => abort(new Error('the client went away')), 20);
      });
      const started = performance.now();
      const outcome = await settle(client([up.url], { retry: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 1000 } }).request({ method: 'GET', path: '/orders', signal }));
      expect(isUpstreamAbortedError(outcome.ok ? undefined : outcome.error)).toBe(true);
      expect(performance.now() - started).toBeLessThan(400); // not after the 900 ms backoff
      await sleep(100);
      expect(up.requests).toHaveLength(1);
    });
  });

  it('many client aborts never eject an instance nor open the circuit', async () => {
    const upstreams = [holding(), holding()];
    const ups = await Promise.all(upstreams.map((u) => stub(u.handler)));
    const sales = client(
      ups.map((u) => u.url),
      { ejectAfterFailures: 1, breaker: { failures: 2 }, retry: { maxAttempts: 1 }, probeIntervalMs: 0 },
    );
    for (let i = 1; i <= 10; i++) {
      const { signal, abort } = SOURCES[i % 2][1]();
      const call = settle(sales.request({ method: 'GET', path: '/orders', signal }));
      await waitFor(() => upstreams[0].arrived.length + upstreams[1].arrived.length === i);
      abort(new Error('the client went away'));
      expect(isUpstreamAbortedError(((await call) as { error?: unknown }).error)).toBe(true);
    }
    expect(upstreams.map((u) => u.arrived.length)).toEqual([5, 5]); // still round-robin over both
    expect(sales.status()).toMatchObject({
      breaker: 'closed',
      inFlight: 0,
      instances: [
        { index: 0, ejected: false, failures: 0 },
        { index: 1, ejected: false, failures: 0 },
      ],
    });
    // a real failure still counts: the same settings do eject and open (the assertions above can fail)
    const failing = await stub(faults.status(503));
    const control = client([failing.url, ups[0].url], { ejectAfterFailures: 1, breaker: { failures: 1 }, retry: { maxAttempts: 1 }, probeIntervalMs: 0 });
    await control.request({ method: 'GET', path: '/orders' });
    expect(control.status()).toMatchObject({ breaker: 'open', instances: [{ ejected: true }, { ejected: false }] });
  });
});
