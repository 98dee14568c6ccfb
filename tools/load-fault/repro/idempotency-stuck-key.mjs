#!/usr/bin/env node
// Reproduction (load-and-fault finding 2): the partner-bff replica holding an Idempotency-Key dies mid-request
// (SIGKILL). The key's "in progress" record stayed in Redis with the answer's 24 h TTL, so every retry of that key — on
// any replica — waited the 5 s idempotency wait (past the route deadline) and got 409, for a day; no order was placed.
// Fixed: the claim lapses after the route deadline + 2 s (a retry meanwhile gets 409 with Retry-After within one
// deadline), then a retry places the order — once.
import { randomUUID } from 'node:crypto';
import { request, sleep } from '../../replicas/lib/http.mjs';
import { stopAll } from '../../replicas/lib/processes.mjs';
import { ordersTotal, setFault, startPartnerPair } from './common.mjs';

try {
  const { a, b, apiKey, sku, customerId } = await startPartnerPair();
  const before = await ordersTotal();
  const key = `repro-${randomUUID()}`;
  const post = (r) => request(`${r.url}/v1/orders`, { method: 'POST', headers: { 'x-api-key': apiKey, 'idempotency-key': key }, body: { customerId, items: [{ sku, quantity: 7 }] }, timeoutMs: 15_000 });
  await setFault(4004, { latencyMs: 1000 });
  const first = post(a);
  await sleep(300);
  a.proc.child.kill('SIGKILL');
  console.log(`attempt 1 on replica a, SIGKILLed 300 ms in: ${(await first).status || (await first).error}`);
  await setFault(4004, {});
  let placed = false;
  const killedAt = Date.now();
  for (let i = 2; i <= 6 && !placed; i += 1) {
    const r = await post(b);
    placed = r.status === 201;
    console.log(`attempt ${i} on replica b: ${r.status} after ${Math.round(r.ms)} ms ${r.body?.detail ?? ''}`);
  }
  const orders = (await ordersTotal()) - before;
  console.log(`orders placed at sales: ${orders}; a retry went through ${placed ? `${Date.now() - killedAt} ms after the kill` : 'never'}`);
  const ok = placed && orders <= 1 && Date.now() - killedAt < 6000;
  console.log(ok ? 'OK: a retry after the owner died proceeded within seconds, one order' : 'BUG: the key is stuck "in progress" after its owner died');
  process.exitCode = ok ? 0 : 1;
} finally {
  await stopAll();
}
