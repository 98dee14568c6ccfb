// Idempotency across replicas (issue 6's contract for partner POST /v1/orders): the same Idempotency-Key with the
// same body, sent to both replicas, returns the first answer and creates one order; concurrent duplicates create one
// order; the same key with a different body is 422. Orders are counted at the sales service itself.
import { randomUUID } from 'node:crypto';
import { orderCount } from '../lib/estate.mjs';
import { request } from '../lib/http.mjs';
import { CheckFailed, NotAvailable } from '../lib/results.mjs';
import { accepted, credentialsFor, describe, isSuccess } from './common.mjs';

const ROUTE = '/v1/orders';

const post = (replica, headers, key, body) =>
  request(replica.url + ROUTE, {
    method: 'POST',
    headers: { ...headers, ...(key ? { 'idempotency-key': key } : {}) },
    body,
  });

async function sameKeyBothReplicas([a, b], headers, order) {
  const key = randomUUID();
  const before = await orderCount();
  const first = await post(a, headers, key, order);
  if (!isSuccess(first.status))
    throw new CheckFailed(`POST ${ROUTE} on ${a.name} answered ${describe(first)} to a valid order`);
  const second = await post(b, headers, key, order);
  const created = (await orderCount()) - before;
  if (
    second.status !== first.status ||
    JSON.stringify(second.body) !== JSON.stringify(first.body) ||
    created !== 1
  ) {
    throw new CheckFailed(
      `same key on ${a.name} then ${b.name}: ${first.status} then ${describe(second)}, ${created} orders created`,
    );
  }
  return { key, first };
}

async function concurrentDuplicates([a, b], headers, order) {
  const key = randomUUID();
  const before = await orderCount();
  const answers = await Promise.all([a, b, a, b].map((r) => post(r, headers, key, order)));
  const created = (await orderCount()) - before;
  const firsts = answers.filter((r) => isSuccess(r.status));
  const sameBody = firsts.every((r) => JSON.stringify(r.body) === JSON.stringify(firsts[0]?.body));
  if (created !== 1 || firsts.length === 0 || !sameBody) {
    throw new CheckFailed(
      `4 concurrent duplicates on both replicas: ${answers.map((r) => r.status).join(', ')}, ${created} orders created`,
    );
  }
  return answers.map((r) => r.status).join('/');
}

export async function idempotency(ctx) {
  const replicas = ctx.replicas['partner-bff'];
  const headers = await credentialsFor(ctx, 'partner-bff', 'acme');
  const order = { customerId: ctx.ids.customerId, items: [{ sku: ctx.ids.sku, quantity: 1 }] };
  const probe = await post(replicas[0], headers, undefined, order);
  if (probe.status === 404) throw new NotAvailable(`POST ${ROUTE} is not in partner-bff yet (issue 6)`);
  accepted(replicas[0], ROUTE, probe);
  if (probe.status !== 400)
    throw new CheckFailed(`POST ${ROUTE} without Idempotency-Key answered ${describe(probe)}, not 400`);
  const { key, first } = await sameKeyBothReplicas(replicas, headers, order);
  const concurrent = await concurrentDuplicates(replicas, headers, order);
  const changed = await post(replicas[1], headers, key, {
    ...order,
    items: [{ sku: ctx.ids.sku, quantity: 2 }],
  });
  if (changed.status !== 422)
    throw new CheckFailed(`same key, different body on ${replicas[1].name}: ${describe(changed)}, not 422`);
  return `same key on both replicas: one order, identical ${first.status} answers; 4 concurrent duplicates (${concurrent}): one order; changed body: 422`;
}
