import { RequestTrace, type CallObserver } from './request-trace';

const observed: [string, string, number][] = [];
const observer: CallObserver = { observeUpstream: (u, o, s) => observed.push([u, o, s]) };

describe('RequestTrace', () => {
  it.each([
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '4bf92f3577b34da6a3ce929d0e0e4736', true],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00', '4bf92f3577b34da6a3ce929d0e0e4736', false],
    ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', undefined, true],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', undefined, true],
    ['00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', undefined, true],
    ['ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', undefined, true],
    ['garbage', undefined, true],
    [undefined, undefined, true],
  ])('traceparent %s → continues trace %s (sampled %s)', (incoming, traceId, sampled) => {
    const trace = new RequestTrace(incoming, 'GET', observer);
    if (traceId) expect(trace.traceId).toBe(traceId);
    else expect(trace.traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    expect(trace.sampled).toBe(sampled);
    expect(trace.traceparent).toMatch(new RegExp(`^00-${trace.traceId}-[0-9a-f]{16}-0${sampled ? 1 : 0}$`));
  });

  it('gives each upstream call its own child span and records its outcome', () => {
    const trace = new RequestTrace(undefined, 'GET', observer);
    const a = trace.begin('hr');
    const b = trace.begin('payroll');
    expect(a.traceparent).not.toBe(b.traceparent);
    expect(a.traceparent?.split('-')[1]).toBe(trace.traceId);
    a.end('2xx', 200);
    b.end('timeout');
    expect(trace.calls).toEqual([
      { upstream: 'hr', outcome: '2xx', status: 200, ms: expect.any(Number) },
      { upstream: 'payroll', outcome: 'timeout', status: undefined, ms: expect.any(Number) },
    ]);
    expect(observed.slice(-2).map(([u, o]) => `${u}:${o}`)).toEqual(['hr:2xx', 'payroll:timeout']);
  });
});
