/**
 * Port: what an upstream call reads of its caller's cancellation signal — the part of `AbortSignal` that
 * `exchange()` and the retry loop use, so that a real `AbortSignal` fits as well as the lighter {@link CancelSignal}
 * (a fraction of an `AbortController`'s cost, for a signal made on every request).
 *
 * Contract, as `AbortSignal`'s: `aborted` turns true once and stays true; `reason` is set before any listener runs;
 * a listener added before the abort runs once (`once` or not), one removed before it never runs, one added after
 * it never runs. Listeners must not throw.
 */
export interface CallerSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { readonly once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
