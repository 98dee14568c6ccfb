// What the reproductions share: the demo estate with its services open (they are called directly here), one Redis,
// BFF replicas from dist/ — all through tools/replicas' process management, all stopped by `stopAll`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request, waitFor } from '../../replicas/lib/http.mjs';
import { freePort, portIsFree, startProcess } from '../../replicas/lib/processes.mjs';
import { redisPing, startRedis } from '../../replicas/lib/redis.mjs';
import { seedPartnerKeys } from '../../replicas/lib/partner-keys.mjs';

export const root = resolve(fileURLToPath(import.meta.url), '../../../..');
export const logDir = mkdtempSync(join(tmpdir(), 'frontdoor-repro-'));

export async function startEstate() {
  for (const port of [4000, 4001, 4002, 4003, 4004, 4005]) if (!(await portIsFree(port))) throw new Error(`port ${port} is in use: the demo estate needs 4000–4005`);
  startProcess({ name: 'estate', command: process.execPath, args: [join(root, 'dist/apps/demo-upstreams/main.js')], env: { DEMO_TRUSTED_GATEWAYS: 'none' }, logDir, cwd: root });
  if (!(await waitFor(async () => (await request('http://127.0.0.1:4004/health')).status === 200, { timeoutMs: 30_000 }))) throw new Error('the estate did not start');
  return (await request('http://127.0.0.1:4000/demo/credentials')).body;
}

export async function startRedisSeeded(credentials) {
  const port = await freePort();
  startRedis({ port, logDir });
  await waitFor(() => redisPing(port), { timeoutMs: 10_000 });
  await seedPartnerKeys(root, port, credentials.partners);
  return port;
}

export async function startBff(app, env) {
  const port = await freePort();
  const proc = startProcess({ name: `${app}-${port}`, command: process.execPath, args: [join(root, `dist/apps/${app}/main.js`)], env: { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }, logDir, cwd: root });
  if (!(await waitFor(async () => (await request(`http://127.0.0.1:${port}/health/ready`)).status === 200, { timeoutMs: 60_000 }))) throw new Error(`${app} did not become ready (log ${proc.logFile})`);
  return { proc, port, url: `http://127.0.0.1:${port}` };
}

export const setFault = (port, fault) => request(`http://127.0.0.1:${port}/__demo/fault`, { method: 'PUT', body: fault });
export const ordersTotal = async () => (await request('http://127.0.0.1:4004/orders?limit=1')).body.total;

/** The estate, one seeded Redis and two partner-bff replicas sharing it (1500 ms deadline); acme's key, a sku, a customer. */
export async function startPartnerPair() {
  const credentials = await startEstate();
  const redisPort = await startRedisSeeded(credentials);
  const env = { REDIS_URL: `redis://127.0.0.1:${redisPort}`, ROUTE_DEADLINE_MS: '1500' };
  const [a, b] = await Promise.all([startBff('partner-bff', env), startBff('partner-bff', env)]);
  const apiKey = credentials.partners.find((p) => p.partnerId === 'acme').apiKey;
  const sku = (await request('http://127.0.0.1:4001/products?limit=1')).body.items[0].sku;
  const customerId = (await request('http://127.0.0.1:4005/customers?limit=1')).body.items[0].id;
  return { a, b, apiKey, sku, customerId };
}
