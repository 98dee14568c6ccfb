import {
  HttpProblem,
  intParam,
  isObject,
  json,
  pageParams,
  paginate,
  parseJsonBody,
  type Route,
} from './http-kit';
import {
  ORDER_STATUSES,
  orderId,
  priceItems,
  type Order,
  type OrderStatus,
  type PartnerId,
} from './orders.seed';
import type { Product } from './products.seed';
import { summarize } from './sales-summary';

const MAX_LINES = 50;
const MAX_QUANTITY = 10_000;

interface NewOrder {
  customerId: string;
  partnerId: PartnerId | null;
  lines: { sku: string; quantity: number }[];
}

/** Shape checks → 400; business checks (unknown customer or sku, quantity out of range) → 422. */
function parseNewOrder(body: string, bySku: ReadonlyMap<string, Product>, customers: ReadonlySet<string>): NewOrder {
  const input = parseJsonBody(body);
  if (!isObject(input)) throw new HttpProblem(400, 'the order must be a JSON object');
  const { customerId, partnerId = null, items } = input;
  if (typeof customerId !== 'string' || customerId.length === 0 || customerId.length > 64)
    throw new HttpProblem(400, 'customerId must be a string of 1 to 64 characters');
  if (partnerId !== null && partnerId !== 'acme' && partnerId !== 'globex')
    throw new HttpProblem(400, 'partnerId must be acme, globex or null');
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_LINES)
    throw new HttpProblem(400, `items must be an array of 1 to ${MAX_LINES} {sku, quantity}`);
  const lines = items.map((item: unknown, i) => {
    if (!isObject(item) || typeof item['sku'] !== 'string' || !Number.isInteger(item['quantity']))
      throw new HttpProblem(400, `items[${i}] must be {sku: string, quantity: integer}`);
    return { sku: item['sku'], quantity: item['quantity'] as number };
  });
  if (!customers.has(customerId)) throw new HttpProblem(422, `customerId ${customerId} is not a known customer`);
  for (const [i, line] of lines.entries()) {
    if (!bySku.has(line.sku))
      throw new HttpProblem(422, `items[${i}].sku ${line.sku} is not a known product`);
    if (line.quantity < 1 || line.quantity > MAX_QUANTITY)
      throw new HttpProblem(422, `items[${i}].quantity must be from 1 to ${MAX_QUANTITY}`);
  }
  return { customerId, partnerId, lines };
}

/** How many Idempotency-Keys sales remembers (oldest forgotten first). */
const MAX_KEYS = 50_000;

/** An optional `Idempotency-Key`: 1 to 255 visible ASCII characters, or 400. */
function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(header))
    throw new HttpProblem(400, 'Idempotency-Key must be 1 to 255 visible ASCII characters');
  return header;
}

/** `status=pending` or a comma-separated list (`status=pending,paid`: either). */
function statusParam(query: URLSearchParams): ReadonlySet<OrderStatus> | undefined {
  const status = query.get('status');
  if (status === null || status === '') return undefined;
  const statuses = status.split(',');
  if (!statuses.every((s) => ORDER_STATUSES.includes(s as OrderStatus)))
    throw new HttpProblem(400, `status must be one or a comma-separated list of ${ORDER_STATUSES.join(', ')}`);
  return new Set(statuses as OrderStatus[]);
}

/**
 * sales (JSON): `GET /orders?partnerId=&customerId=&status=&limit=&offset=` (newest first; `status` one or a comma-separated
 * list), `GET /orders/recent?limit=10`,
 * `GET /orders/:id`, `POST /orders` → 201 (400 malformed, 422 unknown customer / unknown sku / bad quantity),
 * `GET /summary`. The customers are the customers service's (`customerIds`).
 * `POST /orders` honours an `Idempotency-Key`: the same key and order again answers the first order (no second one);
 * the same key with another order is a 422.
 * `orders` is this estate's own copy: new orders continue the id sequence and are stamped with the real clock.
 */
export function salesRoutes(orders: Order[], products: readonly Product[], customerIds: ReadonlySet<string>): Route[] {
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const byId = new Map(orders.map((o) => [o.id, o]));
  const byKey = new Map<string, { readonly request: string; readonly order: Order }>();
  const newestFirst = () => [...orders].reverse();
  return [
    {
      method: 'GET',
      path: '/orders',
      handler: ({ query }) => {
        const page = pageParams(query);
        const [partnerId, customerId, status] = [
          query.get('partnerId'),
          query.get('customerId'),
          statusParam(query),
        ];
        const matching = newestFirst().filter(
          (o) =>
            (!partnerId || o.partnerId === partnerId) &&
            (!customerId || o.customerId === customerId) &&
            (!status || status.has(o.status)),
        );
        return json(paginate(matching, page));
      },
    },
    {
      method: 'GET',
      path: '/orders/recent',
      handler: ({ query }) => json({ items: newestFirst().slice(0, intParam(query, 'limit', 10, 1, 100)) }),
    },
    {
      method: 'GET',
      path: '/orders/:id',
      handler: ({ params }) => {
        const order = byId.get(params['id'] ?? '');
        if (!order) throw new HttpProblem(404, `no order ${params['id']}`);
        return json(order);
      },
    },
    {
      method: 'POST',
      path: '/orders',
      handler: ({ body, headers }) => {
        const { customerId, partnerId, lines } = parseNewOrder(body, bySku, customerIds);
        const key = idempotencyKeyOf(headers['idempotency-key']);
        const request = JSON.stringify({ customerId, partnerId, lines });
        const earlier = key === undefined ? undefined : byKey.get(key);
        if (earlier) {
          if (earlier.request !== request) throw new HttpProblem(422, 'this Idempotency-Key was used for another order');
          return json(earlier.order, 201); // the first answer again: one order per key
        }
        const order: Order = {
          id: orderId(orders.length + 1),
          customerId,
          partnerId,
          ...priceItems(lines, bySku),
          currency: 'EUR',
          status: 'pending',
          createdAt: new Date().toISOString(),
        };
        orders.push(order);
        byId.set(order.id, order);
        if (key !== undefined) {
          if (byKey.size >= MAX_KEYS) byKey.delete(byKey.keys().next().value as string); // the oldest key goes first
          byKey.set(key, { request, order });
        }
        return json(order, 201);
      },
    },
    { method: 'GET', path: '/summary', handler: () => json(summarize(orders)) },
  ];
}
