import { Inject, Injectable } from '@nestjs/common';
import { InventoryClient, type CallContext } from '@frontdoor/backends';
import { ProblemError } from '@frontdoor/errors';
import { PAGE_CURSORS } from '../app/mobile.tokens';
import type { ListProductsQuery } from './list-products.query';
import { toMobileProductPage, type MobileProductPage } from './mobile-product.shape';
import type { PageCursors } from './page-cursor';

export const DEFAULT_PAGE_SIZE = 20;

/** The mobile catalogue: inventory's products trimmed for a phone, paged by signed cursors. */
@Injectable()
export class ProductsService {
  constructor(
    private readonly inventory: InventoryClient,
    @Inject(PAGE_CURSORS) private readonly cursors: PageCursors,
  ) {}

  /** @throws ProblemError `bad-request` (400) for a cursor that was not issued for this query by this app */
  async listPage(query: ListProductsQuery, ctx: CallContext): Promise<MobileProductPage> {
    // the query a cursor is bound to: the filters (the page size may change between pages)
    const boundTo = [query.q ?? '', query.tag ?? ''];
    const offset = query.cursor === undefined ? 0 : this.cursors.decode(query.cursor, boundTo);
    if (offset === undefined) throw new ProblemError('bad-request', 'The cursor is not valid for this query; start again without one.');
    const page = await this.inventory.listProducts({ q: query.q, tag: query.tag, limit: query.limit ?? DEFAULT_PAGE_SIZE, offset }, ctx);
    return toMobileProductPage(page, (next) => this.cursors.encode(next, boundTo));
  }
}
