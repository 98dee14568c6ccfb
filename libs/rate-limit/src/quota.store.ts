import type { RedisConnection } from '@frontdoor/redis';

export interface QuotaDecision {
  readonly allowed: boolean;
  /** Requests counted today, including this one when allowed. */
  readonly used: number;
}

/**
 * Daily request counts per partner. `consume` is check-then-increment in one step, so a refused request (over
 * quota) is never counted, and a request the rate limit refused never gets here at all.
 */
export interface QuotaStore {
  consume(partner: string, day: string, limit: number): Promise<QuotaDecision>;
  used(partner: string, day: string): Promise<number>;
}

export class MemoryQuotaStore implements QuotaStore {
  private readonly counts = new Map<string, number>();
  private currentDay = '';

  async consume(partner: string, day: string, limit: number): Promise<QuotaDecision> {
    this.roll(day);
    const used = this.counts.get(partner) ?? 0;
    if (used >= limit) return { allowed: false, used };
    this.counts.set(partner, used + 1);
    return { allowed: true, used: used + 1 };
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

type ConsumeCommand = (key: string, limit: number) => Promise<[number, number]>;

/** Shared daily counts in Redis; one atomic round trip per decision, keys expire after two days. */
export class RedisQuotaStore implements QuotaStore {
  private readonly command: ConsumeCommand;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {
    redis.client.defineCommand('frontdoorQuota', { numberOfKeys: 1, lua: CONSUME_SCRIPT });
    const client = redis.client as unknown as Record<'frontdoorQuota', ConsumeCommand>;
    this.command = (key, limit) => client.frontdoorQuota(key, limit);
  }

  async consume(partner: string, day: string, limit: number): Promise<QuotaDecision> {
    const [allowed, used] = await this.command(`${this.prefix}${day}:${partner}`, limit);
    return { allowed: allowed === 1, used };
  }

  async used(partner: string, day: string): Promise<number> {
    return Number((await this.redis.client.get(`${this.prefix}${day}:${partner}`)) ?? 0);
  }
}

/** Redis when connected, memory otherwise (counts taken during an outage are per instance until it ends). */
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
