import type { RedisConnection } from '@frontdoor/redis';

export interface QuotaDecision {
  readonly allowed: boolean;
  /** Requests counted today, including this one when allowed. */
  readonly used: number;
  /**
   * The store whose count this request raised, when allowed: the one to `refund` it to. A plain store names
   * itself; the failover store names the inner store that counted (Redis, or memory during an outage).
   */
  readonly chargedTo?: QuotaStore;
}

/**
 * Daily request counts per partner. `consume` is check-then-increment in one step, so a refused request (over
 * quota) is never counted, and a request the rate limit refused never gets here at all. `refund` takes back one
 * count of `day` (the day it was charged to, which is not always today) for a request that was counted and then
 * answered 429 after the quota guard (PRODUCT.md: a 429 consumes no quota); never below 0, never creating a day.
 */
export interface QuotaStore {
  consume(partner: string, day: string, limit: number): Promise<QuotaDecision>;
  used(partner: string, day: string): Promise<number>;
  refund(partner: string, day: string): Promise<void>;
}

export class MemoryQuotaStore implements QuotaStore {
  private readonly counts = new Map<string, number>();
  private currentDay = '';

  async consume(partner: string, day: string, limit: number): Promise<QuotaDecision> {
    this.roll(day);
    const used = this.counts.get(partner) ?? 0;
    if (used >= limit) return { allowed: false, used };
    this.counts.set(partner, used + 1);
    return { allowed: true, used: used + 1, chargedTo: this };
  }

  /** A day other than the one kept is gone already (or was never counted here): nothing to take back. */
  async refund(partner: string, day: string): Promise<void> {
    if (day !== this.currentDay) return; // never `roll` here: a late refund of yesterday must not clear today
    const used = this.counts.get(partner) ?? 0;
    if (used > 0) this.counts.set(partner, used - 1);
  }

  async used(partner: string, day: string): Promise<number> {
    this.roll(day);
    return this.counts.get(partner) ?? 0;
  }

  /** Only today's counts are kept: memory is bounded by the number of partners. */
  private roll(day: string): void {
    if (day === this.currentDay) return;
    this.counts.clear();
    this.currentDay = day;
  }
}

const CONSUME_SCRIPT = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then return {0, used} end
used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('EXPIRE', KEYS[1], 172800) end
return {1, used}
`;

// Only an existing, positive count goes down: a key that expired (or a day never counted) is not re-created
// without a TTL, and DECR keeps the key's expiry.
const REFUND_SCRIPT = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used <= 0 then return 0 end
return redis.call('DECR', KEYS[1])
`;

type ConsumeCommand = (key: string, limit: number) => Promise<[number, number]>;
type RefundCommand = (key: string) => Promise<number>;

/** Shared daily counts in Redis; one atomic round trip per decision, keys expire after two days. */
export class RedisQuotaStore implements QuotaStore {
  private readonly command: ConsumeCommand;
  private readonly refundCommand: RefundCommand;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {
    redis.client.defineCommand('frontdoorQuota', { numberOfKeys: 1, lua: CONSUME_SCRIPT });
    redis.client.defineCommand('frontdoorQuotaRefund', { numberOfKeys: 1, lua: REFUND_SCRIPT });
    const client = redis.client as unknown as Record<'frontdoorQuota', ConsumeCommand> &
      Record<'frontdoorQuotaRefund', RefundCommand>;
    this.command = (key, limit) => client.frontdoorQuota(key, limit);
    this.refundCommand = (key) => client.frontdoorQuotaRefund(key);
  }

  private keyOf(partner: string, day: string): string {
    return `${this.prefix}${day}:${partner}`;
  }

  async consume(partner: string, day: string, limit: number): Promise<QuotaDecision> {
    const [allowed, used] = await this.command(this.keyOf(partner, day), limit);
    return allowed === 1 ? { allowed: true, used, chargedTo: this } : { allowed: false, used };
  }

  async refund(partner: string, day: string): Promise<void> {
    await this.refundCommand(this.keyOf(partner, day));
  }

  async used(partner: string, day: string): Promise<number> {
    return Number((await this.redis.client.get(this.keyOf(partner, day))) ?? 0);
  }
}

/**
 * Redis when connected, memory otherwise (counts taken during an outage are per instance until it ends). Its
 * decisions name the inner store that counted (`chargedTo`), so a refund goes back to that store whatever the
 * connection is doing by then: a count taken in memory during an outage is never taken off the shared count.
 */
export class FailoverQuotaStore implements QuotaStore {
  constructor(
    private readonly connection: RedisConnection,
    private readonly shared: RedisQuotaStore,
    private readonly local: MemoryQuotaStore,
    private readonly onFallback: () => void,
  ) {}

  async consume(partner: string, day: string, limit: number): Promise<QuotaDecision> {
    if (this.connection.ready) {
      try {
        return await this.shared.consume(partner, day, limit);
      } catch {
        // fall through
      }
    }
    this.onFallback();
    return this.local.consume(partner, day, limit);
  }

  async used(partner: string, day: string): Promise<number> {
    if (this.connection.ready) {
      try {
        return await this.shared.used(partner, day);
      } catch {
        // fall through
      }
    }
    return this.local.used(partner, day);
  }

  /**
   * Only for a caller that did not keep `chargedTo`: the store `consume` would use now. A refund that cannot reach
   * Redis is dropped (the partner is over-counted by one, never under-counted).
   */
  async refund(partner: string, day: string): Promise<void> {
    if (this.connection.ready) {
      try {
        return await this.shared.refund(partner, day);
      } catch {
        return;
      }
    }
    return this.local.refund(partner, day);
  }
}

// The current UTC day and when it ends: a Date and an ISO string once per day instead of once per request.
let today = { day: '', from: 0, next: 0 };

/** The UTC day a request counts against, and the seconds until the next one starts (for Retry-After). */
export function quotaDay(now: number): { day: string; secondsLeft: number } {
  if (now < today.from || now >= today.next) {
    const date = new Date(now);
    const from = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    today = { day: date.toISOString().slice(0, 10), from, next: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1) };
  }
  return { day: today.day, secondsLeft: Math.max(1, Math.ceil((today.next - now) / 1000)) };
}
