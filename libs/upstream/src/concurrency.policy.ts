/**
 * The backend protection budget of one upstream: at most `limit` calls in flight (retries of a call included: a
 * call holds its slot until it settles). Past it a call is refused at once — there is no queue, so a slow backend
 * costs the gateway neither memory nor latency, only fast 503s. A counter rather than cockatiel's `bulkhead(n, 0)`:
 * same semantics without a closure and an extra async frame per call.
 */
export class ConcurrencyBudget {
  private active = 0;

  constructor(readonly limit: number) {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError('the concurrency limit must be an integer >= 1');
  }

  /** Takes a slot; false (nothing taken) when all `limit` slots are in use. */
  tryAcquire(): boolean {
    if (this.active >= this.limit) return false;
    this.active += 1;
    return true;
  }

  /** Gives back a slot taken by `tryAcquire`. */
  release(): void {
    this.active -= 1;
  }

  get inFlight(): number {
    return this.active;
  }
}
