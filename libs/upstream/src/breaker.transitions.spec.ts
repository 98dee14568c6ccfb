import { faults, settle, type StubHandler } from '@frontdoor/testing';
import type { BreakerTransition } from './breaker.policy';
import { loopbackClients } from './testing/loopback-clients';

const HALF_OPEN_AFTER_MS = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The circuit's changes as the app's log is told of them (`onBreakerTransition`): once per change, never per call,
 * with why it opened. A real client against a loopback stub whose answers the test switches.
 */
describe('UpstreamClient breaker transitions (real loopback stub)', () => {
  const { stub, client, closeAll } = loopbackClients({
    name: 'inventory',
    defaultDeadlineMs: 500,
    retry: { maxAttempts: 1 },
    breaker: { failures: 3, halfOpenAfterMs: HALF_OPEN_AFTER_MS },
  });
  afterEach(() => closeAll());

  async function observed() {
    let answer: StubHandler = faults.json(200, {});
    const up = await stub((req, res, body) => answer(req, res, body));
    const inventory = client([up.url]);
    const transitions: BreakerTransition[] = [];
    inventory.onBreakerTransition((t) => transitions.push(t));
    const calls = (n: number) =>
      Promise.all(
        Array.from({ length: n }, () => settle(inventory.request({ method: 'GET', path: '/products' }))),
      );
    return { inventory, transitions, calls, answers: (handler: StubHandler) => (answer = handler) };
  }

  it('opens once after 3 consecutive failures (20 calls), half-opens at the trial, closes when it succeeds', async () => {
    const { inventory, transitions, calls, answers } = await observed();
    await calls(2);
    answers(faults.status(503));
    for (let i = 0; i < 20; i++) await calls(1);
    expect(inventory.status().breaker).toBe('open');
    expect(transitions).toEqual([
      {
        upstream: 'inventory',
        state: 'open',
        after: 'failures',
        failures: 3,
        lastFailure: '5xx',
        status: 503,
        halfOpenAfterMs: HALF_OPEN_AFTER_MS,
      },
    ]);
    answers(faults.json(200, {}));
    await sleep(HALF_OPEN_AFTER_MS + 50);
    await calls(1);
    await calls(10);
    expect(transitions.slice(1)).toEqual([
      { upstream: 'inventory', state: 'half-open' },
      { upstream: 'inventory', state: 'closed' },
    ]);
  });

  it('a failed trial reopens it, saying so, with the failure as an outcome (no message, no host)', async () => {
    const { transitions, calls, answers } = await observed();
    answers((_req, res) => void res.socket?.destroy());
    await calls(3);
    await sleep(HALF_OPEN_AFTER_MS + 50);
    await calls(1);
    expect(transitions).toEqual([
      {
        upstream: 'inventory',
        state: 'open',
        after: 'failures',
        failures: 3,
        lastFailure: 'unavailable',
        halfOpenAfterMs: HALF_OPEN_AFTER_MS,
      },
      { upstream: 'inventory', state: 'half-open' },
      {
        upstream: 'inventory',
        state: 'open',
        after: 'trial',
        failures: 3,
        lastFailure: 'unavailable',
        halfOpenAfterMs: HALF_OPEN_AFTER_MS,
      },
    ]);
    expect(JSON.stringify(transitions)).not.toMatch(/127\.0\.0\.1|ECONN|socket/);
  });

  it('a listener that throws breaks nothing: the circuit still opens and fails fast', async () => {
    const { inventory, calls, answers } = await observed();
    inventory.onBreakerTransition(() => {
      throw new Error('a broken log');
    });
    answers(faults.status(500));
    // the third answer opens the circuit, while the listener throws: it is still returned as it is
    expect((await calls(3)).map((c) => (c.ok ? c.value.status : 'failed'))).toEqual([500, 500, 500]);
    const [refused] = await calls(1);
    expect(refused).toMatchObject({ ok: false, error: { status: 503, failure: 'unavailable' } });
    expect(inventory.status().breaker).toBe('open');
  });
});
