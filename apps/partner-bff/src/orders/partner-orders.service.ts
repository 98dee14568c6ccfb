import { Injectable } from '@nestjs/common';
import { SalesClient, type CallContext, type Order, type Page } from '@frontdoor/backends';
import { ProblemError, isProblemError } from '@frontdoor/errors';

/** The same answer for an unknown order and for another tenant's: which order ids exist is not revealed. */
function noSuchOrder(cause?: unknown): ProblemError {
  return new ProblemError('not-found', 'There is no order with this id.', { cause });
}

/** What a partner orders: the customer and the lines. Who the partner is comes from the API key, never from here. */
export interface PartnerOrderInput {
  readonly customerId: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
}

/**
 * A partner's orders, for every API version (each version shapes them its own way). Partners are tenants: every
 * read is filtered by the partner id of the API key, never by anything the client sends. The list asks sales for
 * this partner's orders only and drops anything else it might answer (the rule is ours, not the upstream's); a
 * single order of another partner — or a direct, non-partner order — is a 404. New orders are stamped with the
 * key's partner id.
 */
@Injectable()
export class PartnerOrdersService {
  constructor(private readonly sales: SalesClient) {}

  async list(partnerId: string, page: { limit: number; offset: number }, ctx: CallContext): Promise<Page<Order>> {
    const result = await this.sales.listOrders({ partnerId, limit: page.limit, offset: page.offset }, ctx);
    return Object.assign({}, result, { items: result.items.filter((order) => order.partnerId === partnerId) });
  }

  /** @throws ProblemError `not-found` (404) for an unknown order or one that is not this partner's */
  async get(partnerId: string, id: string, ctx: CallContext): Promise<Order> {
    let order: Order;
    try {
      order = await this.sales.getOrder(id, ctx);
    } catch (error) {
      if (isProblemError(error) && error.status === 404) throw noSuchOrder(error);
      throw error;
    }
    if (order.partnerId !== partnerId) throw noSuchOrder();
    return order;
  }

  /**
   * Places the order for this partner; only the named input fields reach sales, with the request's upstream
   * Idempotency-Key so that a retry after an unknown outcome (504) never places a second order.
   * @throws ProblemError 422 when sales refuses the order (unknown customer or sku; a quantity out of range never gets
   *   here: the DTO refuses it, 400)
   */
  create(partnerId: string, input: PartnerOrderInput, ctx: CallContext, idempotencyKey: string | undefined): Promise<Order> {
    const items = input.items.map((line) => ({ sku: line.sku, quantity: line.quantity }));
    return this.sales.createOrder({ customerId: input.customerId, partnerId, items }, ctx, idempotencyKey);
  }
}
