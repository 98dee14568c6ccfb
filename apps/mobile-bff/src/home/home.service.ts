import { Inject, Injectable, Logger } from '@nestjs/common';
import { gather, optional, required } from '@frontdoor/aggregation';
import { CustomersClient, InventoryClient, SalesClient, withDeadline, type CallContext, type Customer, type Order, type OrderQuery, type Page } from '@frontdoor/backends';
import { isUpstreamAbortedError } from '@frontdoor/upstream';
import { ROUTE_BUDGET_MS } from '../app/mobile.tokens';
import { toMobileHome, type MobileHome } from './mobile-home.shape';

/** Products with this tag are featured on the home screen (the in-stock ones among the first candidates). */
export const FEATURED_TAG = 'bestseller';
export const FEATURED_CANDIDATES = 12;
export const RECENT_ORDERS = 5;
/** Orders not yet shipped nor cancelled. */
export const OPEN_STATUSES = 'pending,paid';

/**
 * The home screen in one round trip from the phone; behind it, four upstream calls run at once where they can:
 * featured products (inventory; required: without them there is no home screen), and, for the signed-in user, the
 * linked customer account (customers) and then, in parallel, their latest orders and their open-order count (sales).
 * The user's parts are optional: each gets 85% of the route budget in all (lookup and orders together), and when one
 * fails the screen still answers, marked `X-Degraded: partial`, naming what is missing.
 */
@Injectable()
export class HomeService {
  private readonly logger = new Logger(HomeService.name);

  constructor(
    private readonly inventory: InventoryClient,
    private readonly sales: SalesClient,
    private readonly customers: CustomersClient,
    @Inject(ROUTE_BUDGET_MS) private readonly budgetMs: number,
  ) {}

  /**
   * @param subject the authenticated principal's id (the token `sub`), never client input
   * @throws inventory's own error (502/503/504…) when the featured products fail
   */
  async loadHome(subject: string, ctx: CallContext): Promise<MobileHome> {
    let account: Promise<Customer> | undefined;
    // one lookup per request, shared by the parts that need it
    const accountOf = (deadlineMs: number) => (account ??= this.customers.customerOfSubject(subject, withDeadline(ctx, deadlineMs)));
    const { values, failures } = await gather(
      {
        featured: required(({ deadlineMs }) => this.inventory.listProducts({ tag: FEATURED_TAG, limit: FEATURED_CANDIDATES }, withDeadline(ctx, deadlineMs))),
        customer: optional(({ deadlineMs }) => accountOf(deadlineMs)),
        recent: optional(({ deadlineMs }) => this.ordersOf(accountOf, { limit: RECENT_ORDERS }, ctx, deadlineMs)),
        open: optional(({ deadlineMs }) => this.ordersOf(accountOf, { status: OPEN_STATUSES, limit: 1 }, ctx, deadlineMs)),
      },
      { budgetMs: this.budgetMs },
    );
    for (const [part, error] of Object.entries(failures)) {
      // a part cancelled because the client went away is no upstream's failure: the request's 499 line says it
      if (!isUpstreamAbortedError(error)) this.logger.warn(`home part ${part} left out: ${(error as Error).message}`);
    }
    return toMobileHome(values.featured.items, values.customer, values.recent, values.open);
  }

  /** The user's orders matching `query`, within what is left of `deadlineMs` after the account lookup. */
  private async ordersOf(accountOf: (deadlineMs: number) => Promise<Customer>, query: OrderQuery, ctx: CallContext, deadlineMs: number): Promise<Page<Order>> {
    const started = performance.now();
    const customer = await accountOf(deadlineMs);
    const left = Math.max(1, Math.floor(deadlineMs - (performance.now() - started)));
    return this.sales.listOrders(Object.assign({}, query, { customerId: customer.id }), withDeadline(ctx, left));
  }
}
