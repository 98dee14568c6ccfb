import {
  captureLogs,
  faults,
  startRedis,
  startStub,
  type LogCapture,
  type RedisServer,
  type Stub,
} from '@frontdoor/testing';
import { startWebIdpTestApp, type WebIdpTestApp } from './web-test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 20 ms, failing after `timeoutMs` (a bound for a broken build, not a latency assertion). */
async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const start = Date.now(); !condition(); await sleep(20)) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
  }
}

/**
 * The built web-bff's own dependencies changing state, in its log: a circuit opening under load is one warning (not
 * one per request), and each of its Redis connections (rate limits, idempotency records, response cache) says once
 * that it is down and once that it is back. Real app on 127.0.0.1, a stub inventory answering 503, a real
 * redis-server killed and restarted.
 */
describe('web-bff dependency state changes in the log', () => {
  let t: WebIdpTestApp;
  let inventory: Stub;
  let redis: RedisServer;
  let logs: LogCapture;

  beforeAll(async () => {
    inventory = await startStub(faults.status(503));
    redis = await startRedis();
    logs = captureLogs();
    const env = {
      UPSTREAM_INVENTORY_URL: inventory.url,
      REDIS_URL: redis.url.toString(),
      RETRY_MAX_ATTEMPTS: '1',
      BREAKER_FAILURES: '3',
      LOG_LEVEL: 'info',
    };
    t = await startWebIdpTestApp({ env, logs: logs.stream });
  });
  afterAll(async () => {
    await t?.close();
    await inventory?.close();
    await redis?.stop();
  });

  const changes = () => logs.lines().filter((l) => l['circuit'] !== undefined || l['redis'] !== undefined);

  it('a circuit opening under 20 failing requests is one warning naming the upstream and why', async () => {
    const authorization = `Bearer ${await t.idp.sign(t.idp.claims({ sub: 'wendy', roles: ['warehouse'] }))}`;
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${t.base}/api/products`, { headers: { authorization } });
      await res.arrayBuffer();
      expect(res.status).toBe(503);
    }
    expect(changes()).toEqual([
      expect.objectContaining({
        level: 'warn',
        app: 'web-bff',
        upstream: 'inventory',
        circuit: 'open',
        msg: 'upstream inventory circuit opened after 3 consecutive failures (last: 5xx 503); calls fail fast for 10 s',
      }),
    ]);
  });

  it('each Redis connection: one warning when Redis is lost, one info line when it is back', async () => {
    const before = changes().length;
    await redis.kill();
    await waitFor(() => changes().length >= before + 3);
    await sleep(1000); // reconnection attempts, each refused: no further line
    await redis.start();
    await waitFor(() => changes().length >= before + 6);
    await sleep(200);
    const lines = changes().slice(before);
    const of = (state: string) =>
      lines
        .filter((l) => l['state'] === state)
        .map((l) => [l['level'], l['redis']])
        .sort();
    expect(of('down')).toEqual([
      ['warn', 'web-bff-cache'],
      ['warn', 'web-bff-idempotency'],
      ['warn', 'web-bff-limits'],
    ]);
    expect(of('ready')).toEqual([
      ['info', 'web-bff-cache'],
      ['info', 'web-bff-idempotency'],
      ['info', 'web-bff-limits'],
    ]);
    expect(lines).toHaveLength(6);
    expect(logs.text()).not.toContain(`:${redis.port}`);
  });
});
