import { Injectable } from '@nestjs/common';
import { SalesClient, type CallContext, type Order, type Page } from '@frontdoor/backends';
import { ProblemError, isProblemError } from '@frontdoor/errors';

/** The same answer for an unknown order and for another tenant's: which order ids exist is not revealed. */
function noSuchOrder(cause?: unknown): ProblemError {
  return new ProblemError('not-found', 'There is no order with this id.', { cause });
}

/**
 * Partners are tenants: every read is filtered by the partner id of the API key, never by anything the client sends.
 * The list asks sales for this partner's orders only and drops anything else it might answer (the rule is ours,
 * not the upstream's); a single order of another partner — or a direct, non-partner order — is a 404.
 */
@Injectable()
export class V1OrdersService {
  constructor(private readonly sales: SalesClient) {}

  async list(partnerId: string, page: { limit: number; offset: number }, ctx: CallContext): Promise<Page<Order>> {
    const result = await this.sales.listOrders({ partnerId, limit: page.limit, offset: page.offset }, ctx);
    return { ...result, items: result.items.filter((order) => order.partnerId === partnerId) };
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
}
