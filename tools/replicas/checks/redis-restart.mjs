// Redis restarted under the gateways: they keep answering at their normal latency (limits fall back to in-process
// counters), /health/ready says the rate-limit store is degraded (still ready: 200), and after Redis is back every
// replica reports it up again.
import { redisClientCount, redisPing, startRedis } from '../lib/redis.mjs';
import { request, waitFor } from '../lib/http.mjs';
import { stopProcess } from '../lib/processes.mjs';
import { CheckFailed, NotAvailable } from '../lib/results.mjs';
import { businessRoute, credentialsFor, describe, isSuccess } from './common.mjs';

const STORE = 'rate-limit-store';
const SLOW_MS = 1000;

const allReplicas = (ctx) => Object.values(ctx.replicas).flat();
const storeState = async (replica) => {
  const res = await request(`${replica.url}/health/ready`, { timeoutMs: 3000 });
  return { status: res.status, state: res.body?.checks?.[STORE] };
};

/** Kills Redis, checks that every replica still answers, and leaves Redis down for {@link readinessFollowsRedis}. */
export async function answersWithoutRedis(ctx) {
  const clients = await redisClientCount(ctx.redisPort);
  if (!clients)
    throw new NotAvailable(
      `no BFF is connected to Redis (CLIENT LIST: ${clients ?? 'no answer'}): REDIS_URL is not used by the apps yet, nothing to prove`,
    );
  await stopProcess(ctx.redis, 'SIGKILL');
  if (await redisPing(ctx.redisPort, 300)) throw new CheckFailed('Redis still answers after SIGKILL');
  const answers = [];
  for (const replica of allReplicas(ctx)) {
    const headers = await credentialsFor(ctx, replica.app, 'acme');
    const { route, res } = await businessRoute(ctx, replica, headers);
    answers.push({ replica, route, res });
  }
  const bad = answers.filter((a) => !isSuccess(a.res.status) || a.res.ms > SLOW_MS);
  if (bad.length > 0) {
    throw new CheckFailed(
      bad
        .map((a) => `${a.replica.name} GET ${a.route}: ${describe(a.res)} in ${Math.round(a.res.ms)} ms`)
        .join('; '),
    );
  }
  const slowest = Math.max(...answers.map((a) => a.res.ms));
  return `Redis (${clients} client connections) killed: all ${answers.length} replicas answered their route with 2xx, slowest ${Math.round(slowest)} ms`;
}

/** With Redis down (killed here if {@link answersWithoutRedis} did not): degraded but ready; started again: up everywhere. */
export async function readinessFollowsRedis(ctx) {
  const replicas = allReplicas(ctx);
  if (await redisPing(ctx.redisPort, 300)) await stopProcess(ctx.redis, 'SIGKILL'); // the previous check did not run
  try {
    // a replica notices a dead connection within moments: poll a little before judging
    let down = [];
    await waitFor(
      async () => {
        down = await Promise.all(replicas.map(storeState));
        const settled = (d) => (d.state === 'degraded' && d.status === 200) || d.state === undefined;
        return down.every(settled);
      },
      { timeoutMs: 5000, everyMs: 250 },
    );
    if (down.every((d) => d.state === undefined)) {
      throw new NotAvailable(
        `/health/ready has no "${STORE}" check: rate limiting with Redis is not in the apps yet`,
      );
    }
    const wrong = replicas.filter((_, i) => down[i].state !== 'degraded' || down[i].status !== 200);
    if (wrong.length > 0) {
      throw new CheckFailed(
        `with Redis down: ${wrong.map((r) => `${r.name} ${JSON.stringify(down[replicas.indexOf(r)])}`).join(', ')}`,
      );
    }
  } finally {
    ctx.redis = startRedis({ port: ctx.redisPort, logDir: ctx.logDir });
  }
  if (!(await waitFor(() => redisPing(ctx.redisPort), { timeoutMs: 10_000 })))
    throw new CheckFailed('Redis did not start again');
  const started = Date.now();
  const back = await waitFor(
    async () => (await Promise.all(replicas.map(storeState))).every((s) => s.state === 'up'),
    {
      timeoutMs: 20_000,
      everyMs: 250,
    },
  );
  if (!back) throw new CheckFailed(`Redis is back but not every replica reports "${STORE}" up within 20 s`);
  const n = replicas.length;
  return `Redis down: ${n}/${n} replicas ready (200) with ${STORE} "degraded"; Redis restarted: all "up" again after ${((Date.now() - started) / 1000).toFixed(1)} s`;
}
