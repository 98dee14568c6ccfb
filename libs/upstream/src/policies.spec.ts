import { UpstreamError } from '@frontdoor/errors';
import { fullJitterDelay } from './backoff';
import { ConcurrencyBudget } from './concurrency.policy';
import { InstanceBalancer, type UpstreamInstance } from './instance.balancer';
import { RetryBudget } from './retry-budget';
import { RetryPolicy, isIdempotent, isRetryableError, isRetryableResponse } from './retry.policy';
import { UpstreamAbortedError, upstreamCircuitOpen, upstreamOverBudget } from './upstream.errors';
import type { UpstreamResponse } from './upstream.types';

describe('fullJitterDelay', () => {
  it.each([
    [1, 0.999, 49],
    [2, 0.999, 99],
    [3, 0.5, 100],
    [10, 0.999, 999], // capped at maxMs
    [1, 0, 0],
  ])('retry %d with random %d waits %d ms (base 50, max 1000)', (retry, random, expected) => {
    expect(fullJitterDelay(retry, 50, 1000, () => random)).toBe(expected);
  });
});

describe('RetryBudget', () => {
  it('spends its reserve, then allows one retry per 1/ratio calls', () => {
    const budget = new RetryBudget(0.2, 2);
    expect([budget.tryWithdraw(), budget.tryWithdraw(), budget.tryWithdraw()]).toEqual([true, true, false]);
    for (let i = 0; i < 4; i++) budget.deposit();
    expect(budget.tryWithdraw()).toBe(false); // 0.8 tokens
    budget.deposit();
    expect(budget.tryWithdraw()).toBe(true);
  });

  it('never saves more than its reserve', () => {
    const budget = new RetryBudget(0.2, 3);
    for (let i = 0; i < 1000; i++) budget.deposit();
    expect(budget.available).toBe(3);
  });

  it('keeps retries at or below 20% of calls in a failure storm', () => {
    const budget = new RetryBudget(0.2, 10);
    let retries = 0;
    for (let call = 0; call < 1000; call++) {
      budget.deposit();
      if (budget.tryWithdraw()) retries += 1;
      if (budget.tryWithdraw()) retries += 1;
    }
    expect(retries).toBeLessThanOrEqual(0.2 * 1000 + 10);
  });
});

describe('RetryPolicy', () => {
  const response = (status: number, headers: Record<string, string> = {}) => ({ status, headers, body: Buffer.alloc(0) }) as UpstreamResponse;

  it.each([
    ['GET', true],
    ['HEAD', true],
    ['POST', false],
    ['PUT', false],
    ['PATCH', false],
    ['DELETE', false],
  ] as const)('%s is idempotent: %s', (method, expected) => {
    expect(isIdempotent(method)).toBe(expected);
  });

  it.each([
    ['refused/reset (unavailable)', new UpstreamError('hr', 'unavailable', 'hr is unavailable'), true],
    ['a timeout (the deadline is spent)', new UpstreamError('hr', 'timeout', 'x'), false],
    ['a bad response', new UpstreamError('hr', 'bad-response', 'x'), false],
    ['an open circuit', upstreamCircuitOpen('hr', 3), false],
    ['an exhausted budget', upstreamOverBudget('hr', 2), false],
    ['a caller abort', new UpstreamAbortedError('hr', undefined), false],
    ['a programming error', new Error('bug'), false],
  ])('retries %s: %s', (_label, error, expected) => {
    expect(isRetryableError(error)).toBe(expected);
  });

  it.each([
    [500, {}, true],
    [502, {}, true],
    [503, {}, true],
    [504, {}, true],
    [503, { 'retry-after': '5' }, false],
    [429, {}, false],
    [501, {}, false],
    [404, {}, false],
    [200, {}, false],
  ])('retries status %d %j: %s', (status, headers, expected) => {
    expect(isRetryableResponse(response(status, headers))).toBe(expected);
  });

  it('stops after maxAttempts, when the deadline left is too short, and when the budget is spent', () => {
    const policy = new RetryPolicy({ maxAttempts: 3, baseDelayMs: 100, budgetReserve: 1 }, () => 0.5);
    expect(policy.delayBefore(1, 1000)).toBe(50);
    expect(policy.delayBefore(2, 1000)).toBe(-1); // budget: the reserve of 1 is spent
    const fresh = new RetryPolicy({ maxAttempts: 3, baseDelayMs: 100 }, () => 0.5);
    expect(fresh.delayBefore(3, 1000)).toBe(-1); // the 3 attempts are used
    expect(fresh.delayBefore(2, 120)).toBe(-1); // 100 ms backoff leaves 20 ms: not worth it
    expect(fresh.budget.available).toBe(10); // refused retries cost nothing
  });
});

describe('ConcurrencyBudget', () => {
  it('hands out at most `limit` slots and takes them back', () => {
    const budget = new ConcurrencyBudget(2);
    expect([budget.tryAcquire(), budget.tryAcquire(), budget.tryAcquire()]).toEqual([true, true, false]);
    budget.release();
    expect(budget.tryAcquire()).toBe(true);
    expect(budget.inFlight).toBe(2);
  });

  it.each([0, -1, 1.5, NaN])('refuses a limit of %d', (limit) => {
    expect(() => new ConcurrencyBudget(limit)).toThrow(RangeError);
  });
});

describe('InstanceBalancer', () => {
  const instances = (n: number): UpstreamInstance[] =>
    Array.from({ length: n }, (_, i) => ({ pool: {} as never, prefix: `/${i}`, failures: 0, ejected: false }));
  const picks = (balancer: InstanceBalancer, n: number) => Array.from({ length: n }, () => balancer.pick().prefix);

  it('goes round-robin', () => {
    expect(picks(new InstanceBalancer(instances(3), 2), 6)).toEqual(['/0', '/1', '/2', '/0', '/1', '/2']);
  });

  it('ejects an instance after N consecutive failures, and re-admits it', () => {
    const all = instances(3);
    const balancer = new InstanceBalancer(all, 2);
    balancer.failed(all[1] as UpstreamInstance);
    balancer.succeeded(all[1] as UpstreamInstance); // not consecutive
    balancer.failed(all[1] as UpstreamInstance);
    expect(balancer.ejected()).toEqual([]);
    balancer.failed(all[1] as UpstreamInstance);
    expect(balancer.ejected()).toEqual([all[1]]);
    expect(picks(balancer, 4)).toEqual(['/0', '/2', '/0', '/2']);
    balancer.readmit(all[1] as UpstreamInstance);
    expect(picks(balancer, 3).sort()).toEqual(['/0', '/1', '/2']);
  });

  it('keeps going over every instance when all are ejected (panic mode)', () => {
    const all = instances(2);
    const balancer = new InstanceBalancer(all, 1);
    balancer.failed(all[0] as UpstreamInstance);
    balancer.failed(all[1] as UpstreamInstance);
    expect(balancer.ejected()).toHaveLength(2);
    expect(picks(balancer, 4).sort()).toEqual(['/0', '/0', '/1', '/1']);
  });

  it('never ejects the only instance', () => {
    const all = instances(1);
    const balancer = new InstanceBalancer(all, 1);
    for (let i = 0; i < 5; i++) balancer.failed(all[0] as UpstreamInstance);
    expect(balancer.ejected()).toEqual([]);
    expect(balancer.health()).toEqual([{ index: 0, ejected: false, failures: 5 }]);
  });
});
