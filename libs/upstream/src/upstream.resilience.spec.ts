import { isUpstreamError } from '@frontdoor/errors';
import { closedPort, faults, settle, type Stub, type StubHandler } from '@frontdoor/testing';
import { loopbackClients } from './testing/loopback-clients';
import { isCircuitOpen, isOverBudget } from './upstream.errors';

/** Resets the connection before any answer: the caller sees no response at all (like a crashed instance). */
const reset: StubHandler = (_req, res) => {
  res.socket?.destroy();
};

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 20 ms, failing after `timeoutMs` (a bound for a broken build, not a latency assertion). */
async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const start = Date.now(); !condition(); await sleep(20)) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
  }
}

describe('UpstreamClient resilience (real loopback stubs)', () => {
  const { stub, client, closeAll } = loopbackClients({ name: 'sales', defaultDeadlineMs: 2000 });
  const calls = (s: Stub) => s.requests.filter((r) => r.path !== '/health').length;

  afterEach(() => closeAll());

  describe('retries', () => {
    it('retries a GET on 5xx and answers the first success', async () => {
      const up = await stub(faults.sequence(faults.status(500), faults.status(502), faults.json(200, { ok: 1 })));
      const res = await client([up.url]).request({ method: 'GET', path: '/summary' });
      expect(res.status).toBe(200);
      expect(up.requests).toHaveLength(3);
    });

    it('retries a GET whose connection is reset, at most maxAttempts times', async () => {
      const up = await stub(reset);
      const outcome = await settle(client([up.url]).request({ method: 'GET', path: '/summary' }));
      expect(outcome).toMatchObject({ ok: false, error: { status: 503, failure: 'unavailable' } });
      expect(up.requests).toHaveLength(3);
    });

    it.each(['POST', 'PUT', 'PATCH', 'DELETE'] as const)('never repeats a %s (reset, then 503)', async (method) => {
      const resetStub = await stub(reset);
      const failing = await stub(faults.status(503));
      await settle(client([resetStub.url]).request({ method, path: '/orders', body: '{}' }));
      await settle(client([failing.url]).request({ method, path: '/orders', body: '{}' }));
      expect(resetStub.requests).toHaveLength(1);
      expect(failing.requests).toHaveLength(1);
    });

    it.each(['POST', 'PATCH'] as const)('sends a %s again only when its connection was refused: another instance takes it, once', async (method) => {
      const up = await stub(faults.json(201, { id: 'O-1' }));
      const down = `http://127.0.0.1:${await closedPort()}`;
      const sales = client([down, up.url], { retry: { maxAttempts: 3, baseDelayMs: 1 }, breaker: { failures: 1000 } });
      // round-robin: of two calls, one is first sent to the instance that refuses connections
      const answers = [await sales.request({ method, path: '/orders', body: '{}' }), await sales.request({ method, path: '/orders', body: '{}' })];
      expect(answers.map((a) => a.status)).toEqual([201, 201]);
      expect(calls(up)).toBe(2); // each call received once
    });

    it('a POST that every instance refuses ends in 503 after its attempts', async () => {
      const sales = client([`http://127.0.0.1:${await closedPort()}`], { retry: { maxAttempts: 3, baseDelayMs: 1 } });
      const outcome = await settle(sales.request({ method: 'POST', path: '/orders', body: '{}' }));
      expect(outcome).toMatchObject({ ok: false, error: { status: 503, failure: 'unavailable' } });
    });

    it('does not retry a timeout, a 4xx, a 429 or a 503 with Retry-After', async () => {
      const slow = await stub(faults.slowHeaders(1000));
      const notFound = await stub(faults.status(404));
      const limited = await stub(faults.status(429));
      const overloaded = await stub(faults.status(503, { 'retry-after': '3' }));
      await settle(client([slow.url]).request({ method: 'GET', path: '/x', deadlineMs: 100 }));
      for (const s of [notFound, limited, overloaded]) await client([s.url]).request({ method: 'GET', path: '/x' });
      expect([slow, notFound, limited, overloaded].map((s) => s.requests.length)).toEqual([1, 1, 1, 1]);
    });

    it('spends at most the retry budget in a 5xx storm', async () => {
      const up = await stub(faults.status(500));
      const upstream = client([up.url], {
        retry: { maxAttempts: 3, budgetPercent: 20, budgetReserve: 2, baseDelayMs: 1 },
        breaker: { failures: 1000 },
      });
      for (let i = 0; i < 20; i++) await upstream.request({ method: 'GET', path: '/x' });
      // 20 calls, a reserve of 2 retries, then one retry per 5 calls: 20 + 2 + 4 at most
      expect(up.requests.length).toBeGreaterThan(20);
      expect(up.requests.length).toBeLessThanOrEqual(26);
    });

    it('retries within the call deadline, never past it (the timeout names the whole deadline)', async () => {
      const up = await stub(faults.sequence(faults.status(500), faults.slowHeaders(2000)));
      const outcome = await settle(client([up.url], { retry: { baseDelayMs: 1 } }).request({ method: 'GET', path: '/x', deadlineMs: 300 }));
      expect(outcome).toMatchObject({ ok: false, error: { status: 504, detail: 'sales did not answer within 300 ms' } });
      expect(up.requests).toHaveLength(2);
    });
  });

  describe('circuit breaker', () => {
    it('opens after 5 failures, half-opens with ONE trial call, and closes on its success', async () => {
      let healthy = false;
      const up = await stub((req, res, body) =>
        healthy ? faults.slowHeaders(200)(req, res, body) : faults.status(500)(req, res, body),
      );
      const upstream = client([up.url], { breaker: { failures: 5, halfOpenAfterMs: 300 }, retry: { maxAttempts: 1 } });
      for (let i = 0; i < 5; i++) expect((await upstream.request({ method: 'GET', path: '/x' })).status).toBe(500);
      expect(upstream.status().breaker).toBe('open');

      const fast = await settle(upstream.request({ method: 'GET', path: '/x' }));
      expect(fast.ok).toBe(false);
      expect(isCircuitOpen(fast.ok ? undefined : fast.error)).toBe(true);
      expect(fast).toMatchObject({ error: { status: 503, headers: { 'Retry-After': '1' } } });
      expect(up.requests).toHaveLength(5);

      await sleep(400); // past halfOpenAfterMs
      expect(upstream.status().breaker).toBe('half-open'); // before any call: the next one is the trial
      expect(up.requests).toHaveLength(5);
      healthy = true;
      const order: string[] = [];
      const burst = Array.from({ length: 10 }, (_, i) =>
        upstream.request({ method: 'GET', path: `/trial/${i}` }).then(
          (r) => order.push(`ok ${r.status}`),
          (e: unknown) => order.push(isCircuitOpen(e) ? 'open' : 'other'),
        ),
      );
      await Promise.all(burst);
      expect(up.requests).toHaveLength(6); // the one trial
      expect(order.filter((o) => o === 'open')).toHaveLength(9);
      expect(order[order.length - 1]).toBe('ok 200'); // the others were refused before the trial ended
      expect(upstream.status().breaker).toBe('closed');
      expect((await upstream.request({ method: 'GET', path: '/x' })).status).toBe(200);
      expect(up.requests).toHaveLength(7);
    });

    it('opens on refused connections and on timeouts too, at a call\'s shorter deadline (an aggregation\'s part)', async () => {
      const refused = client([`http://127.0.0.1:${await closedPort()}`], { breaker: { failures: 2 }, retry: { maxAttempts: 1 } });
      const slow = await stub(faults.hang());
      const timingOut = client([slow.url], { breaker: { failures: 2 }, retry: { maxAttempts: 1 } });
      for (let i = 0; i < 2; i++) {
        await settle(refused.request({ method: 'GET', path: '/x' }));
        await settle(timingOut.request({ method: 'GET', path: '/x', deadlineMs: 50 }));
      }
      expect([refused.status().breaker, timingOut.status().breaker]).toEqual(['open', 'open']);
    });

    it('leaves timeouts at a route\'s own limit, tighter than the upstream\'s, uncounted: circuit closed, instance kept', async () => {
      const slow = await stub(faults.slowHeaders(300)); // slower than one route allows, well within the upstream's 2 s
      const upstream = client([slow.url], { breaker: { failures: 2 }, retry: { maxAttempts: 1 }, ejectAfterFailures: 2 });
      for (let i = 0; i < 4; i++) {
        const outcome = await settle(upstream.request({ method: 'GET', path: '/tight', deadlineMs: 50, routeDeadline: true }));
        expect(outcome).toMatchObject({ ok: false, error: { status: 504, failure: 'timeout' } });
      }
      expect(upstream.status().breaker).toBe('closed');
      expect(upstream.status().instances.map((i) => i.ejected)).toEqual([false]);
      // the routes that give the upstream its own deadline still get their answers
      expect((await upstream.request({ method: 'GET', path: '/default' })).status).toBe(200);
    });

    it('a half-open trial that times out at a route\'s own limit has failed: the circuit opens again', async () => {
      let failing = true;
      const up = await stub((req, res, body) => (failing ? faults.status(500) : faults.slowHeaders(300))(req, res, body));
      const upstream = client([up.url], { breaker: { failures: 2, halfOpenAfterMs: 100 }, retry: { maxAttempts: 1 } });
      for (let i = 0; i < 2; i++) await upstream.request({ method: 'GET', path: '/x' });
      expect(upstream.status().breaker).toBe('open');
      await sleep(150);
      failing = false;
      const trial = await settle(upstream.request({ method: 'GET', path: '/x', deadlineMs: 50, routeDeadline: true }));
      expect(trial).toMatchObject({ ok: false, error: { status: 504, failure: 'timeout' } });
      expect(upstream.status().breaker).toBe('open');
    });
  });

  describe('load balancing', () => {
    it('spreads calls, ejects a failing instance (traffic moves), and probes it back in', async () => {
      let bUp = true;
      const a = await stub(faults.json(200, { from: 'a' }));
      const b = await stub((req, res, body) => (bUp ? faults.json(200, { from: 'b' })(req, res, body) : reset(req, res, body)));
      const upstream = client([a.url, b.url], { ejectAfterFailures: 2, probeIntervalMs: 50 });

      for (let i = 0; i < 4; i++) await upstream.request({ method: 'GET', path: '/x' });
      expect([calls(a), calls(b)]).toEqual([2, 2]);

      bUp = false;
      for (let i = 0; i < 6; i++) expect((await upstream.request({ method: 'GET', path: '/x' })).status).toBe(200);
      expect(calls(b)).toBe(4); // the two failures that ejected it; every failed GET was retried on a
      expect(upstream.status().instances.map((i) => i.ejected)).toEqual([false, true]);
      expect(calls(a)).toBe(2 + 6);

      bUp = true;
      await waitFor(() => !upstream.status().instances[1]?.ejected);
      expect(b.requests.some((r) => r.path === '/health')).toBe(true);
      for (let i = 0; i < 4; i++) await upstream.request({ method: 'GET', path: '/x' });
      expect(calls(b)).toBe(6);
    });

    it('with every instance ejected still tries them (panic mode) rather than refusing', async () => {
      const down = await stub(faults.status(500));
      const alsoDown = await stub(faults.status(500));
      const upstream = client([down.url, alsoDown.url], { ejectAfterFailures: 1, retry: { maxAttempts: 1 }, probeIntervalMs: 0 });
      await upstream.request({ method: 'GET', path: '/x' });
      await upstream.request({ method: 'GET', path: '/x' });
      expect(upstream.status().instances.every((i) => i.ejected)).toBe(true);
      expect((await upstream.request({ method: 'GET', path: '/x' })).status).toBe(500);
      expect(calls(down) + calls(alsoDown)).toBe(3);
    });
  });

  describe('backend protection budget', () => {
    it('keeps at most maxConcurrent calls in flight and refuses the rest at once with 503 Retry-After', async () => {
      const slow = await stub(faults.slowHeaders(300));
      const upstream = client([slow.url], { maxConcurrent: 2 });
      const order: string[] = [];
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () =>
          upstream.request({ method: 'GET', path: '/x' }).then(
            (r) => (order.push('answered'), r.status),
            (e: unknown) => (order.push('refused'), e),
          ),
        ),
      );
      expect(slow.maxInFlight()).toBeLessThanOrEqual(2);
      expect(slow.requests).toHaveLength(2);
      const refused = outcomes.filter((o) => isOverBudget(o));
      expect(refused).toHaveLength(18);
      for (const error of refused) {
        expect(isUpstreamError(error)).toBe(true);
        expect(error).toMatchObject({ status: 503, failure: 'overloaded', headers: { 'Retry-After': '1' } });
      }
      expect(order).toEqual([...Array(18).fill('refused'), 'answered', 'answered']);
      expect(upstream.status().inFlight).toBe(0);
    });
  });
});
