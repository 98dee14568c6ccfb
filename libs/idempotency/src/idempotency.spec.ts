import { Body, Controller, HttpCode, Injectable, Module, Post, Req, Res, UseInterceptors, type CanActivate, type DynamicModule, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ProblemError } from '@frontdoor/errors';
import { ObservabilityModule } from '@frontdoor/observability';
import { createBffApp, type BffApp } from '@frontdoor/platform';
import { Public, type Principal } from '@frontdoor/rbac';
import { rawRequest, startRedis, type RedisServer } from '@frontdoor/testing';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Idempotent } from './idempotent.decorator';
import { IDEMPOTENCY_STORE, IdempotencyInterceptor, ownerOf, upstreamIdempotencyKeyOf } from './idempotency.interceptor';
import { MemoryIdempotencyStore, type BeginOutcome, type IdempotencyStore, type MemoryIdempotencyLimits } from './idempotency.store';
import { IdempotencyModule } from './idempotency.module';
import { canonicalJson, fingerprintOf } from './fingerprint';

/** Counts real executions: one order per execution. Shared by every app instance of a test, like a backend. */
const backend = { created: 0, failNext: false };

@Injectable()
class HeaderPrincipalGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    request.principal = { kind: 'partner', id: String(request.headers['x-partner'] ?? 'acme'), roles: [] };
    return true;
  }
}

@Public()
@Controller('orders')
@UseInterceptors(IdempotencyInterceptor)
class OrdersController {
  @Post()
  @HttpCode(201)
  @Idempotent()
  async create(@Body() body: { item: string }, @Req() request: FastifyRequest): Promise<{ id: string; item: string; upstreamKey?: string }> {
    await new Promise((r) => setTimeout(r, 50)); // a slow backend, so concurrent duplicates overlap
    if (backend.failNext) {
      backend.failNext = false;
      throw new ProblemError('upstream-unavailable', 'sales is unavailable');
    }
    backend.created += 1;
    return { id: `O-${backend.created}`, item: body.item, upstreamKey: upstreamIdempotencyKeyOf(request) };
  }

  /** A key the client may leave out, and a status the handler sets itself (as a pass-through row sets the upstream's). */
  @Post('accepted')
  @Idempotent('optional')
  async accept(
    @Body() body: { item: string },
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ id: string; item: string; upstreamKey?: string }> {
    await new Promise((r) => setTimeout(r, 50));
    backend.created += 1;
    reply.status(202).header('location', `/orders/O-${backend.created}`).header('cache-control', 'no-store');
    return { id: `O-${backend.created}`, item: body.item, upstreamKey: upstreamIdempotencyKeyOf(request) };
  }
}

@Module({})
class IdempotencyTestModule {
  static forRoot(redisUrl?: URL, memory?: MemoryIdempotencyLimits): DynamicModule {
    return {
      module: IdempotencyTestModule,
      imports: [
        ObservabilityModule.forRoot({ app: 'idem', readiness: { useFactory: () => [] } }),
        IdempotencyModule.forRoot({ app: 'idem', redisUrl, memory, waitMs: 2000, pendingTtlMs: 600 }),
      ],
      controllers: [OrdersController],
      providers: [{ provide: APP_GUARD, useClass: HeaderPrincipalGuard }],
    };
  }
}

async function start(redisUrl?: URL, memory?: MemoryIdempotencyLimits): Promise<{ app: BffApp; base: string }> {
  const app = await createBffApp(IdempotencyTestModule.forRoot(redisUrl, memory), {
    app: 'idem',
    server: { logLevel: 'silent', trustProxy: [], ipAllow: [], ipDeny: [], bodyLimitBytes: 4096 },
  });
  await app.nest.listen(0, '127.0.0.1');
  return { app, base: await app.nest.getUrl() };
}

const post = (base: string, key: string | undefined, body: unknown, partner = 'acme', path = '/orders') =>
  rawRequest(base, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-partner': partner, ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });

describe.each([
  ['in memory', false],
  ['in Redis, across two instances', true],
])('idempotency %s', (_label, useRedis) => {
  let redis: RedisServer | undefined;
  let one: { app: BffApp; base: string };
  let two: { app: BffApp; base: string };

  beforeAll(async () => {
    redis = useRedis ? await startRedis() : undefined;
    one = await start(redis?.url);
    two = useRedis ? await start(redis?.url) : one;
  });
  afterAll(async () => {
    await one.app.nest.close();
    if (two !== one) await two.app.nest.close();
    await redis?.stop();
  });
  beforeEach(() => {
    backend.created = 0;
    backend.failNext = false;
  });

  it('the same key and body returns the first answer without a second order', async () => {
    const first = await post(one.base, `k-seq-${useRedis}`, { item: 'lamp' });
    const again = await post(two.base, `k-seq-${useRedis}`, { item: 'lamp' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(backend.created).toBe(1);
  });

  it('the same key with a different body is 422', async () => {
    await post(one.base, `k-diff-${useRedis}`, { item: 'lamp' });
    const other = await post(two.base, `k-diff-${useRedis}`, { item: 'sofa' });
    expect(other.status).toBe(422);
    expect(JSON.parse(other.body)).toMatchObject({ type: 'urn:frontdoor:problem:unprocessable-content' });
    expect(backend.created).toBe(1);
  });

  it('concurrent duplicates create one order and all get its answer', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(i % 2 ? one.base : two.base, `k-conc-${useRedis}`, { item: 'desk' })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(backend.created).toBe(1);
  });

  it('keys are scoped per partner', async () => {
    const acme = await post(one.base, `k-scope-${useRedis}`, { item: 'x' }, 'acme');
    const globex = await post(two.base, `k-scope-${useRedis}`, { item: 'x' }, 'globex');
    expect(JSON.parse(acme.body).id).not.toBe(JSON.parse(globex.body).id);
    expect(backend.created).toBe(2);
  });

  it('an owner whose id holds a colon never shares records or upstream keys with another owner (alice + "b:KEY" vs "alice:b" + "KEY")', async () => {
    const first = await post(one.base, `b:k-colon-${useRedis}`, { item: 'x' }, 'alice');
    const second = await post(two.base, `k-colon-${useRedis}`, { item: 'x' }, 'alice:b');
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(JSON.parse(second.body).id).not.toBe(JSON.parse(first.body).id);
    expect(JSON.parse(second.body).upstreamKey).not.toBe(JSON.parse(first.body).upstreamKey);
    expect(backend.created).toBe(2);
  });

  it('a failed first attempt frees the key for a retry', async () => {
    backend.failNext = true;
    expect((await post(one.base, `k-fail-${useRedis}`, { item: 'x' })).status).toBe(503);
    expect((await post(two.base, `k-fail-${useRedis}`, { item: 'x' })).status).toBe(201);
    expect(backend.created).toBe(1);
  });

  it('the key sent upstream is the same on every instance for one partner, and differs between partners', async () => {
    const acme = JSON.parse((await post(one.base, `k-up-${useRedis}`, { item: 'x' }, 'acme')).body);
    const acmeAgain = JSON.parse((await post(two.base, `k-up2-${useRedis}`, { item: 'x' }, 'acme')).body);
    const globex = JSON.parse((await post(two.base, `k-up-${useRedis}`, { item: 'x' }, 'globex')).body);
    expect(acme.upstreamKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(acme.upstreamKey).not.toContain(`k-up-${useRedis}`);
    expect(globex.upstreamKey).not.toBe(acme.upstreamKey);
    expect(acmeAgain.upstreamKey).not.toBe(acme.upstreamKey);
    const fresh = await start(redis?.url); // another instance derives the same key for the same partner and key
    try {
      const replayed = JSON.parse((await post(fresh.base, `k-up-${useRedis}`, { item: 'x' }, 'acme')).body);
      expect(replayed.upstreamKey).toBe(acme.upstreamKey);
    } finally {
      await fresh.app.nest.close();
    }
  });

  it('a key claimed by an instance that died mid-request is free again once its claim lapses (pendingTtlMs)', async () => {
    const given = `k-dead-${useRedis}`;
    const store = one.app.nest.get<IdempotencyStore>(IDEMPOTENCY_STORE);
    // the dead instance's claim: "in progress", never completed nor abandoned
    expect(await store.begin('partner:acme', given, fingerprintOf('POST', '/orders', { item: 'x' }), 600)).toEqual({ kind: 'started' });
    const started = Date.now();
    const retry = await post(two.base, given, { item: 'x' });
    expect(retry.status).toBe(201); // the duplicate waited (waitMs 2 s), the claim lapsed at 600 ms, the retry ran
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(backend.created).toBe(1);
  });

  it.each([[undefined], ['short'], ['has space in it']])('a missing or malformed key (%s) is 400', async (key) => {
    expect((await post(one.base, key, { item: 'x' })).status).toBe(400);
    expect(backend.created).toBe(0);
  });

  describe('with the key optional', () => {
    const accept = (base: string, key: string | undefined, body: unknown, partner = 'acme') => post(base, key, body, partner, '/orders/accepted');

    it('a request without a key runs every time, with no upstream key', async () => {
      const first = await accept(one.base, undefined, { item: 'x' });
      const again = await accept(two.base, undefined, { item: 'x' });
      expect([first.status, again.status]).toEqual([202, 202]);
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      expect(JSON.parse(again.body).id).not.toBe(JSON.parse(first.body).id);
      expect(JSON.parse(first.body).upstreamKey).toBeUndefined();
      expect(backend.created).toBe(2);
    });

    it('a request with a key is deduplicated, and the replay carries the status and headers the handler set', async () => {
      const first = await accept(one.base, `k-opt-${useRedis}`, { item: 'x' });
      const again = await accept(two.base, `k-opt-${useRedis}`, { item: 'x' });
      const other = await accept(two.base, `k-opt-${useRedis}`, { item: 'y' });
      expect([first.status, again.status, other.status]).toEqual([202, 202, 422]);
      expect(again.body).toBe(first.body);
      expect([again.headers['location'], again.headers['cache-control']]).toEqual(['/orders/O-1', 'no-store']);
      expect([first.headers['location'], first.headers['cache-control']]).toEqual(['/orders/O-1', 'no-store']);
      // the pipeline's own headers are the replay's, not the first answer's
      expect(again.headers['x-request-id']).toEqual(expect.any(String));
      expect(again.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
      expect(again.headers['content-type']).toBe(first.headers['content-type']);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(JSON.parse(first.body).upstreamKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(backend.created).toBe(1);
    });

    it.each([[''], ['short'], ['has space in it']])('a malformed key (%j) is still 400', async (key) => {
      const res = await rawRequest(one.base, '/orders/accepted', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ item: 'x' }),
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ detail: 'An Idempotency-Key header must be 8 to 255 visible ASCII characters.' });
      expect(backend.created).toBe(0);
    });
  });
});

describe('ownerOf', () => {
  it.each([
    [{ kind: 'partner', id: 'acme' }, 'partner:acme'],
    [{ kind: 'user', id: 'alice' }, 'user:alice'], // as before: earlier records and upstream keys still match
    [{ kind: 'user', id: 'alice:b' }, 'user:alice%3Ab'],
    [{ kind: 'user', id: 'a%3Ab' }, 'user:a%253Ab'], // never the same as the one above
    [{ kind: 'user', id: 'a::' }, 'user:a%3A%3A'],
  ])('%j → %s', (principal, owner) => {
    expect(ownerOf(principal)).toBe(owner);
  });
});

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: [2, { d: 1, c: 2 }] }, '{"a":[2,{"c":2,"d":1}],"b":1}'],
    [null, 'null'],
    ['x', '"x"'],
    [undefined, 'null'],
  ])('%j → %s', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });
});

describe('idempotency in memory, one owner over its share', () => {
  let one: { app: BffApp; base: string };

  beforeAll(async () => {
    one = await start(undefined, { maxEntries: 4, maxEntriesPerOwner: 2 });
  });
  afterAll(() => one.app.nest.close());
  beforeEach(() => {
    backend.created = 0;
  });

  it('that owner alone gets 429 for a new key; other partners still place keyed orders', async () => {
    expect((await post(one.base, 'k-share-1', { item: 'x' }, 'acme')).status).toBe(201);
    expect((await post(one.base, 'k-share-2', { item: 'x' }, 'acme')).status).toBe(201);
    const over = await post(one.base, 'k-share-3', { item: 'x' }, 'acme');
    expect(over.status).toBe(429);
    // Retry-After: until its first record expires (the answers are kept 24 h)
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(86_390);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(86_400);
    expect(JSON.parse(over.body)).toMatchObject({ type: 'urn:frontdoor:problem:rate-limited', status: 429 });
    expect((await post(one.base, 'k-share-1', { item: 'globex' }, 'globex')).status).toBe(201);
    expect((await post(one.base, 'k-share-2', { item: 'globex' }, 'globex')).status).toBe(201);
    const replay = await post(one.base, 'k-share-1', { item: 'x' }, 'acme'); // its own keys still replay
    expect([replay.status, replay.headers['idempotent-replayed']]).toEqual([201, 'true']);
    expect(backend.created).toBe(4);
  });
});

describe('MemoryIdempotencyStore', () => {
  it('holds at most maxEntries live records: a new key is refused (→ 503), never admitted or evicting a live one', async () => {
    let clock = 1_000_000;
    const store = new MemoryIdempotencyStore({ maxEntries: 3, maxEntriesPerOwner: 1 }, () => clock);
    try {
      // one record per owner, each within its share: only the global bound refuses
      for (const key of ['a', 'b', 'c']) expect(await store.begin(key, key, 'f', 60_000)).toEqual({ kind: 'started' });
      await store.complete('a', 'a', 'f', { status: 201, body: { id: 1 } }, 60_000);
      await expect(store.begin('d', 'd', 'f', 60_000)).rejects.toThrow(/3 idempotency records are live/);
      // the live records are untouched: a retry of a still replays, b is still in progress
      expect(await store.begin('a', 'a', 'f', 60_000)).toEqual({ kind: 'replay', answer: { status: 201, body: { id: 1 } } });
      expect(await store.begin('b', 'b', 'f', 60_000)).toEqual({ kind: 'in-progress' });
      await store.abandon('c', 'c');
      expect(await store.begin('d', 'd', 'f', 60_000)).toEqual({ kind: 'started' });
      clock += 60_000; // every record expired: swept for the next new key
      expect(await store.begin('e', 'e', 'f', 60_000)).toEqual({ kind: 'started' });
      expect(await store.begin('g', 'g', 'f', 60_000)).toEqual({ kind: 'started' });
    } finally {
      store.close();
    }
  });

  type Expected = BeginOutcome['kind'] | Partial<BeginOutcome> | 'refused (503)';
  type Step =
    | readonly ['begin', owner: string, key: string, expected: Expected]
    | readonly ['complete' | 'abandon', owner: string, key: string]
    | readonly ['advance', ms: number];

  // limits { maxEntries: 5, maxEntriesPerOwner: 2 }; every begin and complete holds its record for 60 s
  it.each<[string, readonly Step[]]>([
    [
      'an owner at its share is refused alone: another owner is admitted, its own live keys answered',
      [
        ['begin', 'acme', 'a1', 'started'],
        ['begin', 'acme', 'a2', 'started'],
        ['begin', 'acme', 'a3', { kind: 'owner-full', retryAfterMs: 60_000 }],
        ['begin', 'globex', 'g1', 'started'],
        ['begin', 'globex', 'g2', 'started'],
        ['begin', 'acme', 'a1', 'in-progress'],
      ],
    ],
    [
      'the global bound still holds over all owners, each within its share',
      [
        ['begin', 'acme', 'a1', 'started'],
        ['begin', 'acme', 'a2', 'started'],
        ['begin', 'acme', 'a3', 'owner-full'],
        ['begin', 'globex', 'g1', 'started'],
        ['begin', 'globex', 'g2', 'started'],
        ['begin', 'initech', 'i1', 'started'],
        ['begin', 'initech', 'i2', 'refused (503)'],
        ['begin', 'umbrella', 'u1', 'refused (503)'],
        ['abandon', 'globex', 'g1'],
        ['begin', 'umbrella', 'u1', 'started'],
      ],
    ],
    [
      "expiry frees the owner's share, and Retry-After runs to its first record's expiry",
      [
        ['begin', 'acme', 'a1', 'started'],
        ['advance', 20_000],
        ['begin', 'acme', 'a2', 'started'],
        ['begin', 'acme', 'a3', { kind: 'owner-full', retryAfterMs: 40_000 }],
        ['advance', 40_000],
        ['begin', 'acme', 'a3', 'started'],
        ['begin', 'acme', 'a4', { kind: 'owner-full', retryAfterMs: 20_000 }],
        ['advance', 20_000],
        ['begin', 'acme', 'a4', 'started'],
      ],
    ],
    [
      "abandoning a key frees the owner's share at once",
      [
        ['begin', 'acme', 'a1', 'started'],
        ['begin', 'acme', 'a2', 'started'],
        ['begin', 'acme', 'a3', 'owner-full'],
        ['abandon', 'acme', 'a1'],
        ['begin', 'acme', 'a3', 'started'],
      ],
    ],
    [
      'a completed answer counts against the share and still replays when the owner is full',
      [
        ['begin', 'acme', 'a1', 'started'],
        ['complete', 'acme', 'a1'],
        ['begin', 'acme', 'a2', 'started'],
        ['begin', 'acme', 'a3', 'owner-full'],
        ['begin', 'acme', 'a1', 'replay'],
        ['begin', 'globex', 'a1', 'started'],
      ],
    ],
  ])('per-owner share: %s', async (_name, steps) => {
    let clock = 1_000_000;
    const store = new MemoryIdempotencyStore({ maxEntries: 5, maxEntriesPerOwner: 2 }, () => clock);
    const answer = { status: 201, body: {} };
    const begin = (owner: string, key: string) => store.begin(owner, key, 'f', 60_000);
    try {
      for (const [index, step] of steps.entries()) {
        const at = `step ${index}: ${step.join(' ')}`;
        if (step[0] === 'advance') clock += step[1];
        else if (step[0] === 'complete') await store.complete(step[1], step[2], 'f', answer, 60_000);
        else if (step[0] === 'abandon') await store.abandon(step[1], step[2]);
        else if (step[3] === 'refused (503)') {
          await expect(begin(step[1], step[2])).rejects.toThrow(/5 idempotency records are live/);
        } else {
          const expected = typeof step[3] === 'string' ? { kind: step[3] } : step[3];
          const outcome = await begin(step[1], step[2]);
          expect({ at, outcome }).toMatchObject({ at, outcome: expected });
        }
      }
    } finally {
      store.close();
    }
  });

  it.each<[MemoryIdempotencyLimits, number]>([
    [{}, 10_000],
    [{ maxEntries: 20 }, 2],
    [{ maxEntries: 5 }, 1],
    [{ maxEntries: 20, maxEntriesPerOwner: 7 }, 7],
  ])('with %j one owner holds at most %d live records (default: maxEntries / 10)', async (limits, share) => {
    const store = new MemoryIdempotencyStore(limits);
    try {
      let started = 0;
      for (let i = 0; i < share; i += 1) {
        if ((await store.begin('acme', `k${i}`, 'f', 60_000)).kind === 'started') started += 1;
      }
      expect(started).toBe(share);
      expect((await store.begin('acme', 'one-more', 'f', 60_000)).kind).toBe('owner-full');
      expect((await store.begin('globex', 'k0', 'f', 60_000)).kind).toBe('started');
    } finally {
      store.close();
    }
  });

  it.each<[MemoryIdempotencyLimits]>([
    [{ maxEntries: 0 }],
    [{ maxEntriesPerOwner: 0 }],
    [{ maxEntriesPerOwner: 1.5 }],
    [{ maxEntries: 3, maxEntriesPerOwner: 4 }],
  ])('refuses the limits %j at start', (limits) => {
    expect(() => new MemoryIdempotencyStore(limits)).toThrow(RangeError);
  });
});
