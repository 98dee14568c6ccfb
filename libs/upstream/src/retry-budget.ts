/**
 * A retry budget (Finagle's `RetryBudget`, Envoy's `retry_budget`): every call deposits `ratio` of a token, every
 * retry withdraws a whole one, so over time retries stay below `ratio` of the calls (20% by default) plus a small
 * `reserve` that lets a quiet upstream retry at all. The balance never exceeds `reserve`, so a burst after a long
 * healthy period cannot spend more than that. When an upstream fails for everyone, retries stop amplifying the load.
 * One per upstream, shared by every call; O(1), no timers.
 */
export class RetryBudget {
  private balance: number;

  constructor(
    private readonly ratio: number,
    private readonly reserve: number,
  ) {
    if (!(ratio >= 0) || !(reserve >= 0)) throw new RangeError('retry budget ratio and reserve must be >= 0');
    this.balance = reserve;
  }

  /** A first attempt was made. */
  deposit(): void {
    if (this.balance < this.reserve) this.balance = Math.min(this.reserve, this.balance + this.ratio);
  }

  /** Whether a retry may be made now; spends a token when it may. */
  tryWithdraw(): boolean {
    if (this.balance < 1) return false;
    this.balance -= 1;
    return true;
  }

  /** Whole retries available now (for tests and metrics). */
  get available(): number {
    return Math.floor(this.balance);
  }
}
