import { ProblemError } from '@frontdoor/errors';
import { buildPath, type UpstreamClient } from '@frontdoor/upstream';
import type { CallContext } from './call-context';
import { list, num, readAs, record, str, strOrNull } from './decode';
import type { Order, OrderLine, Page, SalesSummary, SalesWindow } from './domain';
import { readPage } from './inventory.client';

function readLine(value: unknown): OrderLine {
  const v = record(value, 'item');
  return { sku: str(v['sku'], 'item.sku'), quantity: num(v['quantity'], 'item.quantity'), unitPrice: num(v['unitPrice'], 'item.unitPrice') };
}

export function readOrder(value: unknown): Order {
  const v = record(value, 'order');
  return {
    id: str(v['id'], 'id'),
    customerId: str(v['customerId'], 'customerId'),
    partnerId: strOrNull(v['partnerId'], 'partnerId'),
    items: list(v['items'], 'items').map(readLine),
    total: num(v['total'], 'total'),
    currency: str(v['currency'], 'currency'),
    status: str(v['status'], 'status'),
    createdAt: str(v['createdAt'], 'createdAt'),
  };
}

function readWindow(value: unknown, field: string): SalesWindow {
  const v = record(value, field);
  return { orders: num(v['orders'], `${field}.orders`), revenue: num(v['revenue'], `${field}.revenue`) };
}

export function readSalesSummary(value: unknown): SalesSummary {
  const v = record(value, 'summary');
  const byStatus: Record<string, number> = {};
  for (const [status, count] of Object.entries(record(v['byStatus'], 'byStatus'))) byStatus[status] = num(count, `byStatus.${status}`);
  return {
    currency: str(v['currency'], 'currency'),
    referenceDate: str(v['referenceDate'], 'referenceDate'),
    today: readWindow(v['today'], 'today'),
    last7Days: readWindow(v['last7Days'], 'last7Days'),
    last30Days: readWindow(v['last30Days'], 'last30Days'),
    byStatus,
  };
}

export interface OrderQuery {
  /** Only this partner's orders. */
  readonly partnerId?: string;
  /** Only this customer's orders. */
  readonly customerId?: string;
  /** One status or a comma-separated list (`pending,paid`: either). */
  readonly status?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/** A new order as sales accepts it (`POST /orders`). `partnerId` is set by the gateway, never taken from a client. */
export interface NewOrder {
  readonly customerId: string;
  readonly partnerId?: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
}

/**
 * What sales' order ids look like (`O-00001`: `O-` and a sequence number of at least five digits). Anything else
 * names no order — and, sent as `/orders/<id>`, could name another sales route (`/orders/recent`).
 */
const ORDER_ID = /^O-\d{5,12}$/;

/** The sales service: orders (JSON). */
export class SalesClient {
  constructor(private readonly upstream: UpstreamClient) {}

  /** Orders, newest first, filtered by the query. */
  async listOrders(query: OrderQuery, ctx: CallContext): Promise<Page<Order>> {
    const body = await this.upstream.fetch({ method: 'GET', path: '/orders', query: { ...query }, ...ctx });
    return readAs(this.upstream.name, body, (v) => readPage(v, readOrder));
  }

  /** @throws ProblemError `not-found` (404) for an unknown id, or one that is no order id (without asking sales) */
  async getOrder(id: string, ctx: CallContext): Promise<Order> {
    if (!ORDER_ID.test(id)) throw new ProblemError('not-found', `${this.upstream.name} has no such resource`);
    const body = await this.upstream.fetch({ method: 'GET', path: buildPath('/orders/:id', { id }), ...ctx });
    return readAs(this.upstream.name, body, readOrder);
  }

  /**
   * Places an order. Only the named fields are sent. With `idempotencyKey`, sales places one order per key: a retry
   * after an unknown outcome (504) gets the first order back. Never retried here (a POST; the client retries).
   * @throws ProblemError 400/422 (passed on from sales, generic detail) for a malformed order, an unknown sku, or a
   *   key already used for another order
   */
  async createOrder(order: NewOrder, ctx: CallContext, idempotencyKey?: string): Promise<Order> {
    const body = JSON.stringify({
      customerId: order.customerId,
      ...(order.partnerId === undefined ? {} : { partnerId: order.partnerId }),
      items: order.items.map((line) => ({ sku: line.sku, quantity: line.quantity })),
    });
    const headers: Record<string, string> = Object.assign({}, ctx.headers, { 'content-type': 'application/json' });
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    const created = await this.upstream.fetch({ method: 'POST', path: '/orders', ...ctx, headers, body });
    return readAs(this.upstream.name, created, readOrder);
  }

  /** Orders and revenue today, over 7 and 30 days, and counts per status. */
  async summary(ctx: CallContext): Promise<SalesSummary> {
    const body = await this.upstream.fetch({ method: 'GET', path: '/summary', ...ctx });
    return readAs(this.upstream.name, body, readSalesSummary);
  }

  /** The `limit` newest orders (1–100). */
  async recentOrders(limit: number, ctx: CallContext): Promise<readonly Order[]> {
    const body = await this.upstream.fetch({ method: 'GET', path: '/orders/recent', query: { limit }, ...ctx });
    return readAs(this.upstream.name, body, (v) => list(record(v, 'recent')['items'], 'items').map(readOrder));
  }
}
