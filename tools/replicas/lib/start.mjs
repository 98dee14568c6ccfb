// Before anything starts: bundles built, redis-server installed, the estate's fixed ports free. Then the start of
// Redis, the estate and the six replicas, each waited for.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BFF_APPS, notReadyOf, notReadyReport, planReplicas, startReplica } from './cluster.mjs';
import { ESTATE_PORTS, demoCredentials, sampleIds, startEstate } from './estate.mjs';
import { waitFor } from './http.mjs';
import { freePort, portIsFree } from './processes.mjs';
import { seedPartnerKeys } from './partner-keys.mjs';
import { redisPing, startRedis } from './redis.mjs';

/** Why the run cannot start, or undefined. */
export async function preflight(root) {
  const missing = [...BFF_APPS, 'demo-upstreams'].filter(
    (app) => !existsSync(join(root, `dist/apps/${app}/main.js`)),
  );
  if (missing.length > 0)
    return `no built bundle for ${missing.join(', ')} in dist/apps: run \`npm run build\` first`;
  if (spawnSync('redis-server', ['--version']).error)
    return "redis-server not found: install Debian's (apt-get install -y redis-server)";
  const busy = [];
  for (const port of ESTATE_PORTS) if (!(await portIsFree(port))) busy.push(port);
  if (busy.length > 0) {
    return `the demo estate needs ports 4000–4005 on 127.0.0.1, and ${busy.join(', ')} ${busy.length > 1 ? 'are' : 'is'} in use (is \`npm start\` running?): stop it first`;
  }
  return undefined;
}

export async function startAll({ root, logDir }) {
  const redisPort = await freePort();
  const ctx = { root, logDir, redisPort, redis: startRedis({ port: redisPort, logDir }), routes: {} };
  process.stdout.write(
    `replicas: redis-server on 127.0.0.1:${redisPort}, the demo estate on 4000–4005, logs in ${logDir}\n`,
  );
  ctx.replicas = await planReplicas({ logDir });
  const all = Object.values(ctx.replicas).flat();
  const [estate, redisUp] = await Promise.all([
    startEstate({ root, logDir }),
    waitFor(() => redisPing(redisPort), { timeoutMs: 10_000 }),
  ]);
  if (!redisUp)
    throw new Error(`redis-server did not answer PING on ${redisPort} (log: ${ctx.redis.logFile})`);
  ctx.estate = estate;
  ctx.credentials = await demoCredentials();
  // with REDIS_URL, partner-bff reads API keys from Redis (as deployed): the demo partners' keys go there first
  await seedPartnerKeys(root, redisPort, ctx.credentials.partners);
  ctx.ids = await sampleIds();
  for (const replica of all) startReplica(replica, ctx);
  const late = await notReadyOf(all, 45_000);
  if (late.length > 0) throw new Error(`not ready within 45 s:\n${notReadyReport(late)}`);
  process.stdout.write(`replicas: ${all.map((r) => `${r.name} :${r.port}`).join(', ')} ready\n`);
  return ctx;
}
