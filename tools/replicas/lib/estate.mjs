// The demo estate (dist/apps/demo-upstreams) on its default ports 4000–4005, and what the checks ask of it directly:
// demo credentials, fresh user tokens, sample data for an order, and the number of orders sales holds.
import { join } from 'node:path';
import { request, waitFor } from './http.mjs';
import { startProcess } from './processes.mjs';

export const ESTATE_PORTS = [4000, 4001, 4002, 4003, 4004, 4005];
const IDP = 'http://127.0.0.1:4000';

/**
 * Starts the estate with its services open (DEMO_TRUSTED_GATEWAYS=none): by default they would trust only gateways
 * on 3001–3003, and the checks count orders at the sales service itself. Gateway trust is not what this run proves.
 */
export async function startEstate({ root, logDir }) {
  const proc = startProcess({
    name: 'demo-upstreams',
    command: process.execPath,
    args: [join(root, 'dist/apps/demo-upstreams/main.js')],
    env: { DEMO_TRUSTED_GATEWAYS: 'none' },
    logDir,
    cwd: root,
  });
  const up = await waitFor(
    async () =>
      (
        await Promise.all(
          ESTATE_PORTS.map((p) => request(`http://127.0.0.1:${p}/health`, { timeoutMs: 1000 })),
        )
      ).every((r) => r.status === 200),
    { timeoutMs: 20_000 },
  );
  if (!up)
    throw new Error(`the demo estate did not answer /health on 4000–4005 within 20 s (log: ${proc.logFile})`);
  return proc;
}

/** GET /demo/credentials: { partners: [{ partnerId, plan, apiKey }], tokens: { role: token } }. */
export async function demoCredentials() {
  const res = await request(`${IDP}/demo/credentials`);
  if (res.status !== 200) throw new Error(`GET ${IDP}/demo/credentials answered ${res.status || res.error}`);
  return res.body;
}

export function partnerKey(credentials, partnerId) {
  const partner = credentials.partners.find((p) => p.partnerId === partnerId);
  if (!partner) throw new Error(`no demo partner ${partnerId} in /demo/credentials`);
  return partner.apiKey;
}

/** A token for a subject nobody else uses, so that its rate-limit bucket starts empty. */
export async function freshUserToken(label) {
  const sub = `replicas-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const res = await request(`${IDP}/token`, { method: 'POST', body: { sub, roles: ['admin'] } });
  if (res.status !== 200) throw new Error(`POST ${IDP}/token answered ${res.status || res.error}`);
  return res.body.access_token;
}

/** Every order sales holds (its paginated list says the total). */
export async function orderCount() {
  const res = await request('http://127.0.0.1:4004/orders?limit=1');
  if (res.status !== 200 || typeof res.body.total !== 'number')
    throw new Error('sales did not list its orders');
  return res.body.total;
}

/** A product sku, a customer id and an employee id that exist in the estate. */
export async function sampleIds() {
  const [products, customers, employees] = await Promise.all(
    ['4001/products', '4005/customers', '4002/employees'].map((p) =>
      request(`http://127.0.0.1:${p}?limit=1`),
    ),
  );
  return {
    sku: products.body?.items?.[0]?.sku,
    customerId: customers.body?.items?.[0]?.id,
    employeeId: employees.body?.items?.[0]?.id,
  };
}
