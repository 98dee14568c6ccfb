import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply } from 'fastify';
import { HealthController, READINESS_TTL_MS } from './health.controller';
import { HttpMetrics } from './http-metrics';
import { Lifecycle } from './lifecycle';
import { readinessOf, type CheckState, type ReadinessCheck } from './readiness';

const upstream = (name: string): ReadinessCheck => ({ name, upstream: true, check: async () => 'up' });
const local = (name: string): ReadinessCheck => ({ name, check: async () => 'up' });

describe('readinessOf', () => {
  it.each<[string, string, [ReadinessCheck, CheckState][]]>([
    [
      'everything up',
      'ready',
      [
        [upstream('hr'), 'up'],
        [upstream('payroll'), 'up'],
        [local('store'), 'up'],
      ],
    ],
    [
      'a store degraded',
      'degraded',
      [
        [upstream('hr'), 'up'],
        [local('store'), 'degraded'],
      ],
    ],
    [
      'one upstream of two down',
      'degraded',
      [
        [upstream('hr'), 'up'],
        [upstream('payroll'), 'down'],
      ],
    ],
    [
      'one upstream down, the other degraded',
      'degraded',
      [
        [upstream('hr'), 'degraded'],
        [upstream('payroll'), 'down'],
      ],
    ],
    [
      'every upstream down',
      'not-ready',
      [
        [upstream('hr'), 'down'],
        [upstream('payroll'), 'down'],
        [local('store'), 'up'],
      ],
    ],
    ['the only upstream down', 'not-ready', [[upstream('hr'), 'down']]],
    [
      'a dependency that is not an upstream down',
      'not-ready',
      [
        [upstream('hr'), 'up'],
        [local('keys'), 'down'],
      ],
    ],
    ['no checks at all', 'ready', []],
    ['only local checks, up', 'ready', [[local('store'), 'up']]],
  ])('%s → %s', (_, status, results) => {
    const readiness = readinessOf(results);
    expect(readiness.status).toBe(status);
    expect(readiness.checks).toEqual(Object.fromEntries(results.map(([c, s]) => [c.name, s])));
  });
});

describe('HealthController readiness', () => {
  /** A check that counts its evaluations and answers what `state` says now, after `ms`. */
  function counting(name: string, state: () => CheckState, ms = 20) {
    const counted = { calls: 0 };
    const check: ReadinessCheck = {
      name,
      upstream: true,
      check: async () => {
        counted.calls++;
        await sleep(ms);
        return state();
      },
    };
    return { check, counted };
  }
  function replyRecorder() {
    const statuses: number[] = [];
    const reply = { status: (code: number) => (statuses.push(code), reply) } as unknown as FastifyReply;
    return { reply, statuses };
  }

  it('one evaluation answers a burst of probes and every probe within READINESS_TTL_MS; the next one is fresh', async () => {
    let payroll: CheckState = 'up';
    const hr = counting('hr', () => 'up');
    const pay = counting('payroll', () => payroll);
    const controller = new HealthController(new HttpMetrics('readiness-test'), new Lifecycle(), [
      hr.check,
      pay.check,
    ]);
    const { reply, statuses } = replyRecorder();

    const burst = await Promise.all(Array.from({ length: 50 }, () => controller.ready(reply)));
    expect(burst.every((b) => b.status === 'ready')).toBe(true);
    expect([hr.counted.calls, pay.counted.calls]).toEqual([1, 1]);

    payroll = 'down';
    expect((await controller.ready(reply)).status).toBe('ready'); // still the same evaluation
    expect(pay.counted.calls).toBe(1);

    await sleep(READINESS_TTL_MS + 50);
    expect(await controller.ready(reply)).toEqual({
      status: 'degraded',
      checks: { hr: 'up', payroll: 'down' },
    });
    expect(pay.counted.calls).toBe(2);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it('every upstream down is a 503; a check that throws counts as down; draining is a 503 without asking anything', async () => {
    const hr = counting('hr', () => 'down');
    const broken: ReadinessCheck = {
      name: 'payroll',
      upstream: true,
      check: () => Promise.reject(new Error('boom')),
    };
    const lifecycle = new Lifecycle();
    const controller = new HealthController(new HttpMetrics('readiness-test-2'), lifecycle, [
      hr.check,
      broken,
    ]);
    const { reply, statuses } = replyRecorder();
    expect(await controller.ready(reply)).toEqual({
      status: 'not-ready',
      checks: { hr: 'down', payroll: 'down' },
    });
    expect(statuses).toEqual([503]);

    lifecycle.startDraining();
    expect(await controller.ready(reply)).toEqual({ status: 'draining', checks: {} });
    expect(statuses).toEqual([503, 503]);
    expect(hr.counted.calls).toBe(1);
  });
});
