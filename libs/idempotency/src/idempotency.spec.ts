import { Body, Controller, HttpCode, Injectable, Module, Post, Req, Res, UseInterceptors, type CanActivate, type DynamicModule, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ProblemError } from '@frontdoor/errors';
import { ObservabilityModule } from '@frontdoor/observability';
import { createBffApp, type BffApp } from '@frontdoor/platform';
import { Public, type Principal } from '@frontdoor/rbac';
import { rawRequest, startRedis, type RedisServer } from '@frontdoor/testing';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Idempotent } from './idempotent.decorator';
import { IDEMPOTENCY_STORE, IdempotencyInterceptor, upstreamIdempotencyKeyOf } from './idempotency.interceptor';
import { MemoryIdempotencyStore, type IdempotencyStore } from './idempotency.store';
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
  static forRoot(redisUrl?: URL): DynamicModule {
    return {
      module: IdempotencyTestModule,
      imports: [ObservabilityModule.forRoot({ app: 'idem', readiness: { useFactory: () => [] } }), IdempotencyModule.forRoot({ app: 'idem', redisUrl, waitMs: 2000, pendingTtlMs: 600 })],
      controllers: [OrdersController],
      providers: [{ provide: APP_GUARD, useClass: HeaderPrincipalGuard }],
    };
  }
}

async function start(redisUrl?: URL): Promise<{ app: BffApp; base: string }> {
  const app = await createBffApp(IdempotencyTestModule.forRoot(redisUrl), {
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
    expect(await store.begin(`partner:acme:${given}`, fingerprintOf('POST', '/orders', { item: 'x' }), 600)).toEqual({ kind: 'started' });
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

describe('MemoryIdempotencyStore', () => {
  it('holds at most maxEntries live records: a new key is refused (→ 503), never admitted or evicting a live one', async () => {
    let clock = 1_000_000;
    const store = new MemoryIdempotencyStore(3, () => clock);
    try {
      for (const key of ['a', 'b', 'c']) expect(await store.begin(key, 'f', 60_000)).toEqual({ kind: 'started' });
      await store.complete('a', 'f', { status: 201, body: { id: 1 } }, 60_000);
      await expect(store.begin('d', 'f', 60_000)).rejects.toThrow(/3 idempotency records are live/);
      // the live records are untouched: a retry of a still replays, b is still in progress
      expect(await store.begin('a', 'f', 60_000)).toEqual({ kind: 'replay', answer: { status: 201, body: { id: 1 } } });
      expect(await store.begin('b', 'f', 60_000)).toEqual({ kind: 'in-progress' });
      await store.abandon('c');
      expect(await store.begin('d', 'f', 60_000)).toEqual({ kind: 'started' });
      clock += 60_000; // every record expired: swept for the next new key
      expect(await store.begin('e', 'f', 60_000)).toEqual({ kind: 'started' });
      expect(await store.begin('g', 'f', 60_000)).toEqual({ kind: 'started' });
    } finally {
      store.close();
    }
  });
});
