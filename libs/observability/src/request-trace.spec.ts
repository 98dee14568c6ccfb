import { RequestTrace, tracestateOf, type CallObserver } from './request-trace';

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
    // W3C Trace Context §4.3: a later version is read by its first four fields, the rest ignored
    ['01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds', '4bf92f3577b34da6a3ce929d0e0e4736', true],
    ['01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00', '4bf92f3577b34da6a3ce929d0e0e4736', false],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra', undefined, true],
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

  const VALID = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('passes the client\'s tracestate on with its trace, on every call', () => {
    const trace = new RequestTrace(VALID, 'GET', observer, undefined, 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    expect(trace.tracestate).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    expect(trace.begin('hr').tracestate).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
  });

  it.each([
    ['a trace restarted (invalid traceparent)', 'garbage'],
    ['no traceparent', undefined],
  ])('drops the tracestate of %s (§3.3.1)', (_what, traceparent) => {
    const trace = new RequestTrace(traceparent, 'GET', observer, undefined, 'congo=t61rcWkgMzE');
    expect(trace.tracestate).toBeUndefined();
    expect(trace.begin('hr').tracestate).toBeUndefined();
  });

  it.each([
    ['congo=t61rcWkgMzE', 'congo=t61rcWkgMzE'],
    ['congo=t61rcWkgMzE, rojo=00f067aa0ba902b7', 'congo=t61rcWkgMzE, rojo=00f067aa0ba902b7'],
    ['tenant@vendor=a b', 'tenant@vendor=a b'],
    [['congo=1', 'rojo=2'], 'congo=1,rojo=2'],
    ['congo=1,,rojo=2', 'congo=1,,rojo=2'],
    ['', undefined],
    ['Congo=1', undefined],
    ['congo=', undefined],
    ['congo=a,b', undefined],
    ['congo=a=b', undefined],
    ['congo=a\tb', undefined],
    [`k=${'v'.repeat(600)}`, undefined],
    [Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(','), undefined],
    ['congo=\u00e9', undefined],
  ])('tracestate %j → %j', (incoming, expected) => {
    expect(tracestateOf(incoming)).toBe(expected);
  });
});
