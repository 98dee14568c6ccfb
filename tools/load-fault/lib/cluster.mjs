// What the run starts, through tools/replicas' process management (every process is stopped on every way out):
// one redis-server, the demo estate trusting the six replicas' JWKS (and this run's own, to count orders at sales),
// and two replicas of each BFF with REDIS_URL, a short route deadline and a drain time.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { IMAGE_NODE_OPTIONS } from '../../bench/lib/gateways.mjs';
import { BFF_APPS, notReadyOf, notReadyReport, planReplicas } from '../../replicas/lib/cluster.mjs';
import { ESTATE_PORTS, demoCredentials } from '../../replicas/lib/estate.mjs';
import { request, waitFor } from '../../replicas/lib/http.mjs';
import { exitOf, freePort, startProcess, stopProcess } from '../../replicas/lib/processes.mjs';
import { redisPing, startRedis } from '../../replicas/lib/redis.mjs';
import { startGatewayIdentity } from './gateway-token.mjs';
import { seedPartnerKeys } from '../../replicas/lib/partner-keys.mjs';

export { BFF_APPS };

/** Knobs the BFFs run with here (each one a documented variable of the apps). */
export function bffSettings(short) {
  return {
    ROUTE_DEADLINE_MS: '1500', // short, so that "no answer past its deadline" is checkable under faults
    SHUTDOWN_DRAIN_MS: '5000',
    BREAKER_HALF_OPEN_AFTER_MS: short ? '2000' : '5000', // an opened circuit recovers within the run
    LOG_LEVEL: 'info', // one access-log line per request: the server side of the ledger
  };
}

function estateEnv(trusted) {
  return { DEMO_TRUSTED_GATEWAYS: trusted.join(',') };
}

async function startEstate(ctx) {
  const trusted = [...Object.values(ctx.replicas).flat().map((r) => `${r.url}/.well-known/jwks.json`), ctx.identity.jwksUrl];
  ctx.estate = startProcess({ name: 'demo-upstreams', command: process.execPath, args: [join(ctx.root, 'dist/apps/demo-upstreams/main.js')], env: estateEnv(trusted), logDir: ctx.logDir, cwd: ctx.root });
  const up = await waitFor(
    async () =>
      ctx.estate.child.exitCode === null &&
      (await Promise.all(ESTATE_PORTS.map((p) => request(`http://127.0.0.1:${p}/health`, { timeoutMs: 1000 })))).every((r) => r.status === 200),
    { timeoutMs: 30_000 },
  );
  if (!up) throw new Error(`the demo estate did not answer /health on 4000–4005 within 30 s (log: ${ctx.estate.logFile})`);
}

export function startBff(replica, ctx) {
  replica.proc = startProcess({
    name: replica.name,
    command: process.execPath,
    args: [join(ctx.root, `dist/apps/${replica.app}/main.js`)],
    env: {
      // the V8 flags of the images: the replicas run as deployed (their memory verdict included)
      NODE_OPTIONS: IMAGE_NODE_OPTIONS,
      HOST: '127.0.0.1',
      PORT: String(replica.port),
      REDIS_URL: `redis://127.0.0.1:${ctx.redisPort}`,
      GATEWAY_SIGNING_KEY_FILE: replica.keyFile,
      MOBILE_CURSOR_SECRET: ctx.cursorSecret,
      ...ctx.settings,
    },
    logDir: ctx.logDir,
    cwd: ctx.root,
  });
  replica.proc.startedAt = Date.now();
  replica.instances.push(replica.proc);
  return replica.proc;
}

/** Redis, the estate and six replicas, each waited for; returns the run's context. */
export async function startCluster({ root, logDir, short, log }) {
  const redisPort = await freePort();
  const ctx = {
    root,
    logDir,
    redisPort,
    settings: bffSettings(short),
    cursorSecret: randomBytes(24).toString('hex'),
    identity: await startGatewayIdentity(),
  };
  ctx.redis = startRedis({ port: redisPort, logDir });
  ctx.replicas = await planReplicas({ logDir });
  for (const replica of Object.values(ctx.replicas).flat()) replica.instances = [];
  log(`redis-server on 127.0.0.1:${redisPort}, the demo estate on 4000–4005, logs in ${logDir}`);
  const [, redisUp] = await Promise.all([startEstate(ctx), waitFor(() => redisPing(redisPort), { timeoutMs: 10_000 })]);
  if (!redisUp) throw new Error(`redis-server did not answer PING on ${redisPort} (log: ${ctx.redis.logFile})`);
  ctx.credentials = await demoCredentials();
  await seedPartnerKeys(root, redisPort, ctx.credentials.partners);
  const all = Object.values(ctx.replicas).flat();
  for (const replica of all) startBff(replica, ctx);
  let late = await notReadyOf(all, 60_000);
  // One more start for a replica that exited before it was ready (a port taken since it was chosen, say); the
  // report says why, and a replica that fails again stops the run. One still running and not ready stops it now.
  const exited = late.filter((r) => exitOf(r.proc) !== undefined);
  if (exited.length > 0 && exited.length === late.length) {
    log(`started again, having exited before they were ready:\n${notReadyReport(exited)}`);
    for (const replica of exited) {
      replica.instances = []; // a start that failed is not an exit under load ("no process exited unexpectedly")
      startBff(replica, ctx);
    }
    late = await notReadyOf(exited, 60_000);
  }
  if (late.length > 0) throw new Error(`not ready within 60 s:\n${notReadyReport(late)}`);
  log(`${all.map((r) => `${r.name} :${r.port}`).join(', ')} ready`);
  return ctx;
}

/** Kills Redis (SIGKILL) and leaves it down. */
export async function killRedis(ctx) {
  await stopProcess(ctx.redis, 'SIGKILL');
}

/** Starts Redis again on its port (empty: no persistence) and re-seeds the partner keys; resolves when both are done. */
export async function restartRedis(ctx) {
  ctx.redis = startRedis({ port: ctx.redisPort, logDir: ctx.logDir });
  if (!(await waitFor(() => redisPing(ctx.redisPort), { timeoutMs: 10_000, everyMs: 50 }))) throw new Error('Redis did not start again');
  await seedPartnerKeys(ctx.root, ctx.redisPort, ctx.credentials.partners);
}

export async function stopCluster(ctx) {
  await ctx?.identity?.close();
}
