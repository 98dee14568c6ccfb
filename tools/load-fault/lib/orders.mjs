// Partner orders placed the way a careful client places them: one Idempotency-Key per logical order, the same key
// and body again on a 5xx, a 409 (still in progress), a 429, a timeout or a connection error. Each logical order has
// its own quantity, so the orders sales holds afterwards can be traced back to their key and counted.
import { randomUUID } from 'node:crypto';
import { request } from '../../replicas/lib/http.mjs';
import { sleep } from '../../replicas/lib/http.mjs';
import { send } from './ledger.mjs';

const ROUTE = '/v1/orders';
export const ORDER_TARGET = 'POST /v1/orders (Idempotency-Key)';
export const ORDER_EXPECT = [201, 409, 429, 502, 503, 504];
const QUANTITY_BASE = 5000; // seeded orders use small quantities; ours are 5001, 5002, …

const retryable = (e) => e.error !== undefined || e.status >= 500 || e.status === 409 || e.status === 429;

/** Whether partner-bff serves POST /v1/orders: without Idempotency-Key a served route answers 400, a missing one 404. */
export async function probeOrderRoute(replica, apiKey, order) {
  const res = await request(replica.url + ROUTE, { method: 'POST', headers: { 'x-api-key': apiKey }, body: order });
  if (res.status === 404 || res.status === 405) return { available: false, why: `POST ${ROUTE} answered ${res.status}: not in partner-bff yet` };
  if (res.status === 400) return { available: true };
  return { available: false, why: `POST ${ROUTE} without Idempotency-Key answered ${res.status || res.error} (expected 400): cannot tell whether retries are safe, so orders are not sent` };
}

export function startOrders({ ledger, router, agents, apiKey, customerId, sku, rps, durationMs, settleMs, timeoutMs }) {
  const logical = [];
  const tasks = [];

  async function place(order) {
    for (let attempt = 1; ; attempt += 1) {
      const replica = router.next();
      const entry = await send(ledger, {
        replica,
        agent: agents[replica.name],
        method: 'POST',
        path: ROUTE,
        headers: { 'x-api-key': apiKey, 'idempotency-key': order.key },
        body: order.body,
        timeoutMs,
        meta: { target: ORDER_TARGET, expect: ORDER_EXPECT, orderKey: order.key, attempt },
      });
      order.attempts.push(entry.id);
      order.last = entry.status ?? entry.error;
      if (entry.status === 201) {
        order.outcome = 'placed';
        order.replayed = entry.replayed;
        return;
      }
      if (!retryable(entry)) {
        order.outcome = `refused ${entry.status}`;
        return;
      }
      if (ledger.now() > durationMs + settleMs) {
        order.outcome = 'unsettled';
        return;
      }
      const hinted = Number(entry.retryAfter) * 1000;
      const backoff = Math.min(2000, 100 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      await sleep(Number.isFinite(hinted) && hinted > 0 ? Math.min(hinted, 2000) : backoff);
    }
  }

  let resolveDone;
  const done = new Promise((resolve) => (resolveDone = resolve));
  const timer = setInterval(() => {
    const due = Math.floor((Math.min(ledger.now(), durationMs) / 1000) * rps) - logical.length;
    for (let i = 0; i < due; i += 1) {
      const n = logical.length + 1;
      const order = { key: `lf-order-${randomUUID()}`, quantity: QUANTITY_BASE + n, attempts: [], outcome: 'pending' };
      order.body = { customerId, items: [{ sku, quantity: order.quantity }] };
      logical.push(order);
      tasks.push(place(order));
    }
    if (ledger.now() >= durationMs) {
      clearInterval(timer); // no order starts after this tick: wait for every one started
      void Promise.all(tasks).then(() => resolveDone(logical));
    }
  }, 50);

  return { done, logical, stop: () => clearInterval(timer) };
}

/**
 * Every order sales created after `baselineTotal` (newest first, all partners), read with the run's own gateway
 * token, and how many of them each logical order's quantity matches.
 */
export async function ordersAtSales({ identity, baselineTotal, logical, customerId, sku }) {
  const created = [];
  for (let offset = 0; ; offset += 100) {
    const res = await request(`http://127.0.0.1:4004/orders?limit=100&offset=${offset}`, { headers: { authorization: await identity.bearer('sales') } });
    if (res.status !== 200) throw new Error(`sales GET /orders answered ${res.status || res.error}`);
    const fresh = res.body.items.filter((o) => Number(o.id.replace(/\D/g, '')) > baselineTotal);
    created.push(...fresh);
    if (fresh.length < res.body.items.length || offset + 100 >= res.body.total) break;
  }
  const byQuantity = new Map(logical.map((o) => [o.quantity, o]));
  const perKey = new Map(logical.map((o) => [o.key, []]));
  const strangers = [];
  for (const order of created) {
    const line = order.items?.length === 1 ? order.items[0] : undefined;
    const mine = line && line.sku === sku && order.customerId === customerId && byQuantity.get(line.quantity);
    if (mine && order.partnerId === 'acme') perKey.get(mine.key).push(order.id);
    else strangers.push(order);
  }
  return { created, perKey, strangers };
}
