import type { CallerSignal } from './caller-signal.port';
import { CancelSignal } from './cancel.signal';

interface Source {
  readonly signal: CallerSignal;
  abort(reason: unknown): void;
}

const cancelSignal = (): Source => {
  const signal = new CancelSignal();
  return { signal, abort: (reason) => signal.abort(reason) };
};
const abortController = (): Source => {
  const controller = new AbortController();
  return { signal: controller.signal, abort: (reason) => controller.abort(reason) };
};

/** The CallerSignal contract, checked on the light signal and on the platform's AbortSignal alike. */
describe.each([
  ['CancelSignal', cancelSignal],
  ['AbortSignal', abortController],
])('%s as a CallerSignal', (_name, make) => {
  it('runs each listener added before the abort exactly once, with the reason already set', () => {
    const { signal, abort } = make();
    const seen: unknown[] = [];
    signal.addEventListener('abort', () => seen.push(['first', signal.aborted, signal.reason]), { once: true });
    signal.addEventListener('abort', () => seen.push(['second', signal.aborted, signal.reason]));
    expect(signal.aborted).toBe(false);
    abort('gone');
    abort('again');
    expect(seen).toEqual([
      ['first', true, 'gone'],
      ['second', true, 'gone'],
    ]);
    expect(signal.reason).toBe('gone');
  });

  it('never runs a listener removed before the abort, nor one added after it', () => {
    const { signal, abort } = make();
    const removed = jest.fn();
    const late = jest.fn();
    signal.addEventListener('abort', removed, { once: true });
    signal.removeEventListener('abort', removed);
    abort(new Error('gone'));
    signal.addEventListener('abort', late, { once: true });
    expect(removed).not.toHaveBeenCalled();
    expect(late).not.toHaveBeenCalled();
  });

  it('runs a listener added twice only once', () => {
    const { signal, abort } = make();
    const listener = jest.fn();
    signal.addEventListener('abort', listener);
    signal.addEventListener('abort', listener);
    abort(undefined);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
