import { Registry } from 'prom-client';
import { RedisConnection } from '@frontdoor/redis';
import { startRedis, type RedisServer } from '@frontdoor/testing';
import { FailoverQuotaStore, MemoryQuotaStore, RedisQuotaStore, type QuotaStore } from './quota.store';
import { QuotaService } from './quota.service';
import { RateLimitMetrics } from './rate-limit.metrics';
import type { RateLimitSettings } from './rate-limit.settings';

const D1 = '2026-11-23';
const D2 = '2026-11-24';

type Step = readonly ['consume' | 'refund', string, string];

// [label, steps (limit 3), the partner's count per day afterwards]
const refundCases: readonly [string, readonly Step[], Readonly<Record<string, number>>][] = [
  [
    'a refund takes one count back',
    [
      ['consume', 'p', D1],
      ['consume', 'p', D1],
      ['refund', 'p', D1],
    ],
    { [D1]: 1 },
  ],
  [
    'never below 0',
    [
      ['consume', 'p', D1],
      ['refund', 'p', D1],
      ['refund', 'p', D1],
      ['refund', 'p', D1],
    ],
    { [D1]: 0 },
  ],
  ['a day never counted is not created', [['refund', 'p', D1]], { [D1]: 0 }],
  [
    'only that partner',
    [
      ['consume', 'p', D1],
      ['consume', 'q', D1],
      ['refund', 'q', D1],
    ],
    { [D1]: 1 },
  ],
  [
    'a refunded count frees its place under the limit',
    [
      ['consume', 'p', D1],
      ['consume', 'p', D1],
      ['consume', 'p', D1],
      ['refund', 'p', D1],
      ['consume', 'p', D1],
    ],
    { [D1]: 3 },
  ],
  [
    'a refusal over quota counts nothing (check, then increment)',
    [
      ['consume', 'p', D1],
      ['consume', 'p', D1],
      ['consume', 'p', D1],
      ['consume', 'p', D1],
      ['consume', 'p', D1],
    ],
    { [D1]: 3 },
  ],
  // charged before UTC midnight, refunded after it: the charged day's count goes down, the new day's does not
  [
    'a refund of yesterday leaves today alone',
    [
      ['consume', 'p', D1],
      ['consume', 'p', D2],
      ['refund', 'p', D1],
    ],
    { [D2]: 1 },
  ],
];

async function play(store: QuotaStore, steps: readonly Step[]): Promise<void> {
  for (const [op, partner, day] of steps) {
    if (op === 'consume') await store.consume(partner, day, 3);
    else await store.refund(partner, day);
  }
}

describe('MemoryQuotaStore.refund', () => {
  it.each(refundCases)('%s', async (_label, steps, expected) => {
    const store = new MemoryQuotaStore();
    await play(store, steps);
    for (const [day, used] of Object.entries(expected)) expect(await store.used('p', day)).toBe(used);
  });
});

describe('RedisQuotaStore.refund (a real redis-server)', () => {
  let redis: RedisServer;
  let connection: RedisConnection;
  let run = 0;
  beforeAll(async () => {
    redis = await startRedis();
    connection = new RedisConnection(redis.url, 'quota-store-spec');
    await connection.waitUntilReady(2000);
  });
  afterAll(async () => {
    await connection?.close();
    await redis?.stop();
  });

  it.each(refundCases)('%s', async (_label, steps, expected) => {
    const prefix = `spec:${++run}:`;
    const store = new RedisQuotaStore(connection, prefix);
    await play(store, steps);
    for (const [day, used] of Object.entries(expected)) expect(await store.used('p', day)).toBe(used);
    // the key keeps its two-day expiry; one never counted is not created by a refund
    const ttl = await connection.client.ttl(`${prefix}${D1}:p`);
    if (steps.some(([op, , day]) => op === 'consume' && day === D1)) expect(ttl).toBeGreaterThan(172_000);
    else expect(ttl).toBe(-2);
  });

  it('the failover store refunds the store that counted: a count taken in memory during an outage stays off Redis', async () => {
    const shared = new RedisQuotaStore(connection, 'spec:failover:');
    const local = new MemoryQuotaStore();
    const down = { ready: false } as RedisConnection;
    const failover = new FailoverQuotaStore(down, shared, local, () => undefined);
    await shared.consume('p', D1, 10); // shared count 1, from before the outage
    const duringOutage = await failover.consume('p', D1, 10);
    expect(duringOutage.chargedTo).toBe(local);
    await duringOutage.chargedTo?.refund('p', D1);
    expect([await local.used('p', D1), await shared.used('p', D1)]).toEqual([0, 1]);
    const up = new FailoverQuotaStore(connection, shared, local, () => undefined);
    const shared2 = await up.consume('p', D1, 10);
    expect(shared2.chargedTo).toBe(shared);
  });
});

describe('QuotaService.refund', () => {
  const settings: RateLimitSettings = {
    app: 'svc',
    userRps: 10,
    anonRps: 4,
    partnerPlans: { tiny: { perSecond: 100, perDay: 3 } },
  };
  const partner = { kind: 'partner', id: 'p', roles: [], plan: 'tiny' } as const;

  it('refunds the day captured when the request was charged, not the day of the refund (UTC midnight)', async () => {
    const store = new MemoryQuotaStore();
    const quotas = new QuotaService(settings, store, new RateLimitMetrics(new Registry()));
    const beforeMidnight = Date.parse(`${D1}T23:59:59.900Z`);
    const afterMidnight = Date.parse(`${D2}T00:00:00.100Z`);
    const charge = await quotas.consume(partner, beforeMidnight);
    expect(charge).toMatchObject({ allowed: true, day: D1, partner: 'p', chargedTo: store });
    await quotas.consume(partner, afterMidnight);
    await quotas.refund(charge);
    expect((await quotas.usage(partner, afterMidnight)).used).toBe(1);
  });

  it('a refusal over quota is no charge', async () => {
    const quotas = new QuotaService(settings, new MemoryQuotaStore(), new RateLimitMetrics(new Registry()));
    for (let i = 0; i < 3; i++) await quotas.consume(partner);
    const refused = await quotas.consume(partner);
    expect([refused.allowed, refused.used, refused.chargedTo]).toEqual([false, 3, undefined]);
  });
});
