import { DeadlineError } from './upstream.errors';

/**
 * The abort signal of one exchange, listened to by its dispatch handler (see `exchange()`), its only listener. A
 * plain object with `aborted`/`reason` and one listener slot rather than an AbortSignal (measured on Node 20,
 * AbortController + `addEventListener` cost ~15 µs CPU per request against ~5 µs for an EventEmitter) or an
 * EventEmitter (its construction and listener bookkeeping were ~1 % of web-bff's main-thread samples on the
 * pass-through route; docs/benchmarks.md §9). Aborting twice keeps the first reason, so whichever of the deadline and
 * the caller came first decides how the call fails.
 */
export class ExchangeSignal {
  aborted = false;
  reason: unknown = undefined;
  private listener: (() => void) | undefined = undefined;

  /** `listener` is called once, on the first abort (none when already aborted); it replaces any earlier one. */
  listen(listener: () => void): void {
    this.listener = listener;
  }

  /** Stops `listener` from being called (when it is the one listening). */
  unlisten(listener: () => void): void {
    if (this.listener === listener) this.listener = undefined;
  }

  /** Whether a listener would be called by an abort now (none is left once the exchange has settled). */
  get listening(): boolean {
    return this.listener !== undefined;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listener = this.listener;
    this.listener = undefined;
    listener?.();
  }

  /** Whether the deadline (not the caller) aborted this exchange. */
  get timedOut(): boolean {
    return this.reason instanceof DeadlineError;
  }
}

/** Timer callback, module-level so that arming the deadline allocates no closure. */
export function abortOnDeadline(signal: ExchangeSignal, deadlineMs: number): void {
  signal.abort(new DeadlineError(`deadline of ${deadlineMs} ms passed`));
}
