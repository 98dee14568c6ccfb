import { EventEmitter } from 'node:events';
import { DeadlineError } from './upstream.errors';

/**
 * The abort signal of one exchange, listened to by its dispatch handler (see `exchange()`). An EventEmitter with
 * `aborted`/`reason` rather than an AbortSignal: measured on Node 20, AbortController + `addEventListener` cost
 * ~15 µs CPU per request against ~5 µs for this. Aborting twice keeps the first reason, so whichever of the deadline
 * and the caller came first decides how the call fails.
 */
export class ExchangeSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
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
