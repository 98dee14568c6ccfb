import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { RedisConnection } from '@frontdoor/redis';
import {
  captureLogs,
  faults,
  settle,
  startRedis,
  startStub,
  type LogCapture,
  type RedisServer,
  type Stub,
  type StubHandler,
} from '@frontdoor/testing';
import { UpstreamRegistry } from '@frontdoor/upstream';
import { createLogger } from './logger';
import { ObservabilityModule } from './observability.module';

const HALF_OPEN_AFTER_MS = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 20 ms, failing after `timeoutMs` (a bound for a broken build, not a latency assertion). */
async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const start = Date.now(); !condition(); await sleep(20)) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
  }
}

/**
 * The state changes of the gateway's own dependencies in the app's log: an app built as createBffApp builds it (its
 * pino logger given to Fastify), with ObservabilityModule, a real upstream client to a loopback stub and a real
 * redis-server. Asserted on the lines written, one per change, never one per call.
 */
describe('DependencyLog: circuit and Redis state changes in the app log', () => {
  let logs: LogCapture;
  let stub: Stub;
  let answer: StubHandler = faults.json(200, {});
  let registry: UpstreamRegistry;
  let redis: RedisServer;
  let app: NestFastifyApplication;
  const changes = () => logs.lines().filter((l) => l['circuit'] !== undefined || l['redis'] !== undefined);

  beforeAll(async () => {
    logs = captureLogs();
    stub = await startStub((req, res, body) => answer(req, res, body));
    registry = new UpstreamRegistry([
      {
        name: 'inventory',
        urls: [new URL(stub.url)],
        retry: { maxAttempts: 1 },
        breaker: { failures: 2, halfOpenAfterMs: HALF_OPEN_AFTER_MS },
      },
    ]);
    redis = await startRedis();

    @Global()
    @Module({ providers: [{ provide: UpstreamRegistry, useValue: registry }], exports: [UpstreamRegistry] })
    class UpstreamsModule {}
    @Module({
      imports: [
        UpstreamsModule,
        ObservabilityModule.forRoot({ app: 'deps-test', readiness: { useFactory: () => [] } }),
      ],
    })
    class AppModule {}

    const logger = createLogger({ app: 'deps-test', level: 'info', destination: logs.stream });
    app = await NestFactory.create<NestFastifyApplication>(
      AppModule,
      new FastifyAdapter({ loggerInstance: logger }),
      { logger: false },
    );
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await registry?.close();
    await stub?.close();
    await redis?.stop();
  });

  it('a circuit: warn when it opens (upstream, why), info when it half-opens and closes; one line each', async () => {
    const inventory = registry.get('inventory');
    const call = () => settle(inventory.request({ method: 'GET', path: '/products' }));
    answer = faults.status(503);
    for (let i = 0; i < 20; i++) await call();
    answer = faults.json(200, {});
    await sleep(HALF_OPEN_AFTER_MS + 50);
    for (let i = 0; i < 20; i++) await call();
    expect(changes()).toEqual([
      expect.objectContaining({
        level: 'warn',
        app: 'deps-test',
        upstream: 'inventory',
        circuit: 'open',
        after: 'failures',
        failures: 2,
        lastFailure: '5xx',
        status: 503,
        msg: 'upstream inventory circuit opened after 2 consecutive failures (last: 5xx 503); calls fail fast for 0.2 s',
      }),
      expect.objectContaining({
        level: 'info',
        upstream: 'inventory',
        circuit: 'half-open',
        msg: 'upstream inventory circuit half-open: one trial call let through',
      }),
      expect.objectContaining({
        level: 'info',
        upstream: 'inventory',
        circuit: 'closed',
        msg: 'upstream inventory circuit closed: the trial call succeeded',
      }),
    ]);
    expect(logs.text()).not.toContain(`:${stub.port}`);
  });

  it('a Redis connection: warn when it is lost, info when it is back; one line each, none once the app is closed', async () => {
    const before = changes().length;
    const connection = new RedisConnection(redis.url, 'deps-test-limits');
    try {
      expect(await connection.waitUntilReady(2000)).toBe(true);
      await redis.kill();
      await waitFor(() => changes().length > before);
      await sleep(1000); // reconnection attempts, each refused
      await redis.start();
      await waitFor(() => connection.ready);
      await sleep(50);
      expect(changes().slice(before)).toEqual([
        expect.objectContaining({
          level: 'warn',
          app: 'deps-test',
          redis: 'deps-test-limits',
          state: 'down',
          msg: expect.stringMatching(
            /^redis connection deps-test-limits is down \((closed|ECONN[A-Z]+)\); reconnecting in the background$/,
          ),
        }),
        expect.objectContaining({
          level: 'info',
          redis: 'deps-test-limits',
          state: 'ready',
          msg: 'redis connection deps-test-limits is back',
        }),
      ]);
      expect(logs.text()).not.toContain(`:${redis.port}`);

      await app.close();
      await redis.kill();
      await waitFor(() => !connection.ready);
      await sleep(50);
      expect(changes().slice(before)).toHaveLength(2);
    } finally {
      await connection.close();
    }
  });
});
