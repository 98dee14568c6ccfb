#!/usr/bin/env node
// Reproduction (load-and-fault finding 3): sales answers right at the route deadline. When the gateway's 1500 ms
// deadline fires just after sales placed the order, the client gets 504, the Idempotency-Key is freed ("a failed first
// attempt frees the key"), and the client's retry with the same key places a SECOND order. A race (the gateway's timer
// and sales' answer ready in the same tick): 32 tries over latencies 1490–1505 ms. Fixed: never a duplicate.
import { randomUUID } from 'node:crypto';
import { request, sleep } from '../../replicas/lib/http.mjs';
import { stopAll } from '../../replicas/lib/processes.mjs';
import { ordersTotal, setFault, startPartnerPair } from './common.mjs';

try {
  const { a, b, apiKey, sku, customerId } = await startPartnerPair();
  const tally = {};
  let duplicates = 0;
  for (let i = 0; i < 32; i += 1) {
    const latencyMs = 1490 + (i % 16);
    await setFault(4004, { latencyMs });
    const key = `repro-${randomUUID()}`;
    const post = (r) => request(`${r.url}/v1/orders`, { method: 'POST', headers: { 'x-api-key': apiKey, 'idempotency-key': key }, body: { customerId, items: [{ sku, quantity: 100 + i }] }, timeoutMs: 15_000 });
    const before = await ordersTotal();
    const first = await post(a);
    await setFault(4004, {});
    const retry = first.status === 201 ? undefined : await post(b);
    await sleep(400); // the first attempt is over at the gateway, so at sales too (it drops a call whose caller left)
    const placed = (await ordersTotal()) - before;
    const line = `first ${first.status}${retry ? `, retry (same key, other replica) ${retry.status}` : ''} → ${placed} order(s) at sales`;
    tally[line] = (tally[line] ?? 0) + 1;
    if (placed > 1) {
      duplicates += 1;
      console.log(`DUPLICATE: Idempotency-Key ${key}, sales latency ${latencyMs} ms: ${line}`);
    }
  }
  console.log(tally);
  console.log(duplicates ? `BUG: ${duplicates} keys placed two orders` : 'no duplicate this time (a race: run it again)');
  process.exitCode = duplicates ? 1 : 0;
} finally {
  await stopAll();
}
